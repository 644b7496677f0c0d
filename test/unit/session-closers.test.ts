import { describe, expect, it } from 'vitest';
import { createClosers } from '../../src/session/closers.js';

describe('createClosers', () => {
  it('closes in reverse order, once, and goes on past a failing closer', async () => {
    const order: string[] = [];
    const closers = createClosers();
    closers.add(() => void order.push('receiver'));
    closers.add(() => {
      throw new Error('boom');
    });
    closers.add(async () => void order.push('stripe listen'));
    await closers.closeAll();
    await closers.closeAll();
    expect(order).toEqual(['stripe listen', 'receiver']);
  });

  it('closes at once what is added after closeAll (start-up cut short elsewhere)', async () => {
    const closers = createClosers();
    await closers.closeAll();
    let closed = false;
    closers.add(() => {
      closed = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(closed).toBe(true);
  });
});
