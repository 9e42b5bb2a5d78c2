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
  names: string[]; // the arguments' names, for signatures in the editor
  doc: string; // one line: what it does (the builtins table of docs/language.md says the same)
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
    cmpxchg: {
      names: ["loc", "old", "new"],
      doc: "atomically: if the word at `loc` is `old`, store `new`; returns the previous value",
      args: ["loc", "num", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    xchg: {
      names: ["loc", "v"],
      doc: "atomically store `v`; returns the previous value",
      args: ["loc", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    fetch_add: {
      names: ["loc", "v"],
      doc: "atomically add `v` (wrapping); returns the previous value",
      args: ["loc", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    fetch_sub: {
      names: ["loc", "v"],
      doc: "atomically subtract `v` (wrapping); returns the previous value",
      args: ["loc", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    fetch_or: {
      names: ["loc", "v"],
      doc: "atomically or in `v`; returns the previous value",
      args: ["loc", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    fetch_and: {
      names: ["loc", "v"],
      doc: "atomically and with `v`; returns the previous value",
      args: ["loc", "num"],
      result: "word",
      effect: true,
      sides: BOTH,
    },
    // the kernel's access to user memory
    get_user: {
      names: ["a"],
      doc: "reads the user word at address `a`",
      args: ["addr"],
      result: "word",
      effect: false,
      sides: KERNEL,
    },
    put_user: {
      names: ["a", "v"],
      doc: "writes `v` to the user word at address `a`",
      args: ["addr", "num"],
      result: "void",
      effect: true,
      sides: KERNEL,
    },
    // thread life
    exit: {
      names: [],
      doc: "leaves the thread: it runs the exit path (`on exit`), then is gone",
      args: [],
      result: "void",
      effect: true,
      sides: BOTH,
    },
    block_signals: {
      names: [],
      doc: "blocks signals for the calling thread",
      args: [],
      result: "void",
      effect: true,
      sides: BOTH,
    },
    unblock_signals: { names: [], doc: "unblocks them", args: [], result: "void", effect: true, sides: BOTH },
    signal_pending: {
      names: [],
      doc: "whether a kill or a signal is pending for the calling thread",
      args: [],
      result: "bool",
      effect: false,
      sides: KERNEL,
    },
    spin_lock: {
      names: ["l"],
      doc: "preemption off, then spins until the kernel variable `l` is free and takes it",
      args: ["lvalue"],
      result: "void",
      effect: true,
      sides: KERNEL,
    },
    spin_unlock: {
      names: ["l"],
      doc: "releases `l` (a `BUG()` if the thread does not hold it), preemption back on",
      args: ["lvalue"],
      result: "void",
      effect: true,
      sides: KERNEL,
    },
    count: {
      names: ["C"],
      doc: "adds one to the calling thread's counter `C`",
      args: ["counter"],
      result: "void",
      effect: true,
      sides: BOTH,
    },
    // tid queues (FIFO) and tid sets
    push: {
      names: ["q", "t"],
      doc: "adds thread `t` to a tid set, or at the tail of a tid queue (full queue: runtime error)",
      args: ["queue", "thread"],
      result: "void",
      effect: true,
      sides: BOTH,
    },
    pop: {
      names: ["q"],
      doc: "removes and returns the head TID of a tid queue (empty queue: runtime error)",
      args: ["queue"],
      result: "tid",
      effect: true,
      sides: BOTH,
    },
    remove: {
      names: ["q", "t"],
      doc: "removes thread `t` from a tid set or queue (no effect if absent)",
      args: ["queue", "thread"],
      result: "void",
      effect: true,
      sides: BOTH,
    },
    len: {
      names: ["q"],
      doc: "the number of TIDs in a tid set or queue",
      args: ["queue"],
      result: "int",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    head: {
      names: ["q"],
      doc: "the first TID of a tid queue, 0 when empty",
      args: ["queue"],
      result: "tid",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    // thread identities: a thread's TID is its index + 1; 0 is no thread
    tid: {
      names: ["i"],
      doc: "the TID of thread number `i` (`i + 1`)",
      args: ["num"],
      result: "tid",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    idx: {
      names: ["t"],
      doc: "the thread number of TID `t` (`t - 1`)",
      args: ["num"],
      result: "int",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    // thread predicates (argument: a thread index, or a tid — tid 0 makes them false)
    alive: {
      names: ["t"],
      doc: "the thread has not finished (it may be in its exit path)",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    exited: {
      names: ["t"],
      doc: "the thread is gone",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    in_user: {
      names: ["t"],
      doc: "the thread is alive and running user code (its body, a proc or its handler)",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    in_kernel: {
      names: ["t"],
      doc: "the thread is alive and running kernel code (a syscall, the exit path, a kthread)",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    in_handler: {
      names: ["t"],
      doc: "the thread is running its signal handler",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    killed: {
      names: ["t"],
      doc: "the thread has been killed",
      args: ["thread"],
      result: "bool",
      effect: false,
      sides: BOTH,
      alsoInProperties: true,
    },
    at: {
      names: ["t", "L"],
      doc: "the thread's next step starts at the statement labelled `L`",
      args: ["thread", "label"],
      result: "bool",
      effect: false,
      sides: "property",
    },
  } satisfies Record<string, Builtin>),
);
