// The barest child a Node process pool could start for one task: an IPC channel, the task module
// (argv[2], a file URL) imported as it starts, one message answered with its `noop`, then it
// disconnects and exits. No pool code, no pinning: bench/floors/startFloors.ts times pairs of it.
const loading = import(process.argv[2]);
process.once('message', (x) => {
  loading.then((m) => process.send(m.noop(x), () => process.disconnect()));
});
