// The builtin functions of the language. The compiler implements each; the checks use this table for arity,
// side and whether a call has an effect (calls with effects may only stand alone or as `x = call(…)`).
import type { Side } from "./model.js";

export type ArgKind =
  | "num" // any number
  | "bool"
  | "loc" // a location: `&x` or an addr value (user word); kernel/ghost `&x` allowed in kernel code
  | "addr"
  | "thread" // a thread index (int) or a tid
  | "queue" // a tidqueue or tidset lvalue
  | "lvalue" // a kernel/percpu variable used as a spinlock
  | "label"
  | "counter";

export type ResultKind = "void" | "num" | "word" | "tid" | "bool" | "int";

export interface Builtin {
  args: ArgKind[];
  result: ResultKind;
  effect: boolean; // changes state (so only as a statement or `x = call(…)`)
  sides: Side[] | "property"; // where code may call it; "property": only in properties
  alsoInProperties?: boolean;
}

const BOTH: Side[] = ["user", "kernel"];
const KERNEL: Side[] = ["kernel"];

// A Map: a user's name such as `constructor` or `__proto__` must not find an inherited property.
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  Object.entries({
    // atomic read-modify-write on a word; each returns the old value
    cmpxchg: { args: ["loc", "num", "num"], result: "word", effect: true, sides: BOTH },
    xchg: { args: ["loc", "num"], result: "word", effect: true, sides: BOTH },
    fetch_add: { args: ["loc", "num"], result: "word", effect: true, sides: BOTH },
    fetch_sub: { args: ["loc", "num"], result: "word", effect: true, sides: BOTH },
    fetch_or: { args: ["loc", "num"], result: "word", effect: true, sides: BOTH },
    fetch_and: { args: ["loc", "num"], result: "word", effect: true, sides: BOTH },
    // the kernel's access to user memory
    get_user: { args: ["addr"], result: "word", effect: false, sides: KERNEL },
    put_user: { args: ["addr", "num"], result: "void", effect: true, sides: KERNEL },
    // thread life
    exit: { args: [], result: "void", effect: true, sides: BOTH },
    block_signals: { args: [], result: "void", effect: true, sides: BOTH },
    unblock_signals: { args: [], result: "void", effect: true, sides: BOTH },
    signal_pending: { args: [], result: "bool", effect: false, sides: KERNEL },
    spin_lock: { args: ["lvalue"], result: "void", effect: true, sides: KERNEL },
    spin_unlock: { args: ["lvalue"], result: "void", effect: true, sides: KERNEL },
    count: { args: ["counter"], result: "void", effect: true, sides: BOTH },
    // tid queues (FIFO) and tid sets
    push: { args: ["queue", "thread"], result: "void", effect: true, sides: BOTH },
    pop: { args: ["queue"], result: "tid", effect: true, sides: BOTH },
    remove: { args: ["queue", "thread"], result: "void", effect: true, sides: BOTH },
    len: { args: ["queue"], result: "int", effect: false, sides: BOTH, alsoInProperties: true },
    head: { args: ["queue"], result: "tid", effect: false, sides: BOTH, alsoInProperties: true },
    // thread identities: a thread's TID is its index + 1; 0 is no thread
    tid: { args: ["num"], result: "tid", effect: false, sides: BOTH, alsoInProperties: true },
    idx: { args: ["num"], result: "int", effect: false, sides: BOTH, alsoInProperties: true },
    // thread predicates (argument: a thread index, or a tid — tid 0 makes them false)
    alive: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    exited: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    in_user: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    in_kernel: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    in_handler: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    killed: { args: ["thread"], result: "bool", effect: false, sides: BOTH, alsoInProperties: true },
    at: { args: ["thread", "label"], result: "bool", effect: false, sides: "property" },
  } satisfies Record<string, Builtin>),
);
