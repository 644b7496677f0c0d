import type { StripeEventLike } from '../../src/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** The events of one trigger, by type (the last one of a type wins) and in order. */
export class TriggerEvents {
  constructor(readonly list: StripeEventLike[]) {}
  types(): string[] {
    return this.list.map((event) => event.type);
  }
  all(type: string): StripeEventLike[] {
    return this.list.filter((event) => event.type === type);
  }
  event(type: string): StripeEventLike {
    const found = this.all(type).at(-1);
    if (found === undefined) throw new Error(`no ${type} event`);
    return found;
  }
  object(type: string): Obj {
    return this.event(type).data.object as Obj;
  }
}
