import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Deque } from '../../src/pool/Deque.js';

// The pool's queue and every worker's in-flight list: order is the crash rule's ground truth (the
// oldest unanswered task is the one that may have started). Checked against a plain array through
// random pushes, shifts, put-backs at the front and walks, across growth, wrap-around and emptying.
test('Deque behaves as a FIFO array through any mix of push, shift, unshiftAll, peek and iteration', () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('push' as const), n: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ k: fc.constant('shift' as const), n: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ k: fc.constant('unshift' as const), n: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ k: fc.constant('walk' as const), n: fc.constant(0) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const d = new Deque<number>();
      const model: number[] = [];
      let next = 0;
      for (const o of ops) {
        if (o.k === 'push') for (let i = 0; i < o.n; i++) (d.push(next), model.push(next++));
        else if (o.k === 'shift') for (let i = 0; i < o.n; i++) assert.equal(d.shift(), model.shift());
        else if (o.k === 'unshift') {
          const back = Array.from({ length: o.n }, () => next++);
          d.unshiftAll(back);
          model.unshift(...back);
        } else assert.deepEqual([...d], model);
        assert.equal(d.length, model.length);
        assert.equal(d.peek(), model[0]);
      }
      assert.deepEqual([...d], model);
    }),
    { numRuns: 1000 },
  );
});

test('Deque: a long run through one buffer (20,000 in, interleaved out) keeps order', () => {
  const d = new Deque<number>();
  let out = 0;
  for (let i = 0; i < 20_000; i++) {
    d.push(i);
    if (i % 3 === 0) assert.equal(d.shift(), out++);
  }
  while (d.length > 0) assert.equal(d.shift(), out++);
  assert.equal(out, 20_000);
  assert.equal(d.shift(), undefined);
});
