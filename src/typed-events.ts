import { EventEmitter } from 'node:events';

/**
 * A typed emitter whose one way out, `safeEmit`, never throws: a listener's exception is caught
 * and reported on stderr, so an application's broken listener cannot break the search, the
 * save or the worker that emitted. The query log's and sync's events are both this.
 */
export class TypedEvents<Events extends object> {
  private readonly emitter = new EventEmitter();

  /** `what` names the emitter in the report of a listener that threw ("query log", "sync"). */
  constructor(private readonly what: string) {}

  on<K extends keyof Events & string>(name: K, listener: (event: Events[K]) => void): this {
    this.emitter.on(name, listener);
    return this;
  }

  once<K extends keyof Events & string>(name: K, listener: (event: Events[K]) => void): this {
    this.emitter.once(name, listener);
    return this;
  }

  off<K extends keyof Events & string>(name: K, listener: (event: Events[K]) => void): this {
    this.emitter.off(name, listener);
    return this;
  }

  listenerCount(name: keyof Events & string): number {
    return this.emitter.listenerCount(name);
  }

  /** Calls every listener of `name` in order; exceptions are reported, never thrown. */
  safeEmit<K extends keyof Events & string>(name: K, event: Events[K]): void {
    for (const listener of this.emitter.listeners(name) as Array<(event: Events[K]) => void>) {
      try {
        listener(event);
      } catch (error) {
        process.stderr.write(`indexkit: a ${this.what} "${name}" listener threw: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}
