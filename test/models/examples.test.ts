// The example models of models/examples: every check of every model, with its verdict, the number of states
// and the length of every trace pinned. The values were obtained with `futexcheck check` and cross-checked
// against the models; models/examples/README.md states the same verdicts.
//
// State counts depend on how states are stored: locals that are dead (never read again) are reset at the end
// of every step (checker/dataflow.ts), so states differing only in a dead local are one state. The counts
// below are derived by hand for the smallest models.
//
// shared_counter_atomic (N = 2): each thread is at one of 4 places — F (before `old = fetch_add(…)`), E
// (before the exit at the end of its body), D (in the exit path, before it is gone), G (gone). `old` is never
// read, so it is always dead (0), and `total` is the number of threads past F. So a state is a pair of
// places: 4 × 4 = 16 states (4^3 = 64 for N = 3). The shortest path to "all exited" is F, E, D for each
// thread: 6 steps (9 for N = 3).
//
// shared_counter (N = 2): places L (before the load), S (before the store), E, D, G. `v` is live only at S.
// Writing "post" for E/D/G (3 places), with total and the v of a thread at S:
//   both at L: 1; one at S, other at L: 2 (v = total = 0); one post, other at L: 2 × 3 (total = 1);
//   both at S: 1 (v = 0, 0); one post, other at S: 2 × 3 × 2 (the one at S loaded 0 or 1; total = 1);
//   both post: 3 × 3 × 2 (total = 2, or 1 when both loaded 0)
//   = 1 + 2 + 6 + 1 + 12 + 18 = 40 states.
// The shortest lost update is L, L, S, S and then E, D for each thread: 8 steps.
//
// exit_path without kills: the owner is at A (the guarded atomic acquire), W (`work:`), R (the release), E
// (exit), C (the cmpxchg of `on exit`), D, G; the waiter at A', R', E', C', D', G'. `lock` follows from the
// places (1 when the owner is at W or R, 2 when the waiter is at R') and they never both hold it. Owner
// pre/holding/post = 1/2/4 places, waiter 1/1/4: 1·1 + 1·1 + 1·4 + 2·1 + 2·4 + 4·1 + 4·1 + 4·4 = 40 states.
// With --kills 1 the owner can also be killed in user mode (at A, W, R or E): it then stands at B (the first
// instruction of `on exit`, the thread-local `if`), holding the lock if it was killed at W or R; its next step
// runs the `if` and the cmpxchg (C) together, then D, G, with killed = 1. Killed states: B not holding × 6
// waiter places, B holding × 5 (waiter not at R'), D and G × 6 = 6 + 5 + 12 = 23, so 40 + 23 = 63 states.
// With --set ROBUST=0 the exit path is just the `if` (B, on a kill) and D: the unkilled owner has 6 places
// (post = E, D, G), 1·5 + 2·4 + 3·5 = 28 states; a killed owner's step from B runs the `if` and D together, so
// it is at B or G: without the lock × 5 waiter places = 10, with the lock (held forever) × 4 (waiter not at
// R') = 8: 28 + 10 + 8 = 46 states.
import { describe, expect, it } from "vitest";
import { checkCase, HOLDS, modelsDir, pinCases, type Case } from "./library.js";

const DIR = modelsDir("examples");



const BUILTIN_HOLD = { deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS };

const CASES: Case[] = [
  {
    file: "shared_counter.fxp",
    states: 40,
    por: 36,
    symmetry: 21,
    results: { final_total: ["VIOLATED", 8], lost_update: ["REACHED", 8], ...BUILTIN_HOLD },
  },
  {
    file: "shared_counter.fxp",
    set: { N: 3 },
    states: 359,
    por: 290,
    symmetry: 73,
    results: { final_total: ["VIOLATED", 12], lost_update: ["REACHED", 12], ...BUILTIN_HOLD },
  },
  {
    file: "shared_counter_atomic.fxp",
    states: 16,
    por: 15,
    symmetry: 9,
    results: { final_total: HOLDS, all_done: ["REACHED", 6], ...BUILTIN_HOLD },
  },
  {
    file: "shared_counter_atomic.fxp",
    set: { N: 3 },
    states: 64,
    por: 54,
    symmetry: 16,
    results: { final_total: HOLDS, all_done: ["REACHED", 9], ...BUILTIN_HOLD },
  },
  {
    // contended: enter, preemption off, take the lock (caller 0), enter (caller 1). both_done: per thread
    // enter, preemption off, lock, load, store, unlock (and return), return to user, exit, gone = 9 steps.
    file: "kernel_syscall.fxp",
    states: 91,
    por: 91,
    results: {
      mutual_exclusion: HOLDS,
      counted: HOLDS,
      contended: ["REACHED", 4],
      both_done: ["REACHED", 18],
      ...BUILTIN_HOLD,
    },
  },
  {
    // cpu0_first: user 1 enters submit, pushes itself, worker/1 pops it, worker/1 counts it.
    file: "percpu_kthread.fxp",
    states: 324,
    por: 50,
    results: { own_cpu: HOLDS, cpu0_first: ["VIOLATED", 4], all_served: ["REACHED", 8], ...BUILTIN_HOLD },
  },
  {
    // zero_first: customer 1 draws ticket 0, then its await succeeds (served[1] is set in that step).
    file: "ghost_locals.fxp",
    states: 55,
    por: 35,
    results: {
      mutual_exclusion: HOLDS,
      distinct_tickets: HOLDS,
      zero_first: ["VIOLATED", 2],
      both_served: ["REACHED", 6],
      ...BUILTIN_HOLD,
    },
  },
  {
    // careless_ok: load, signal, handler load, handler store, handler return, store, exit, gone.
    file: "signal_handler.fxp",
    signals: 1,
    states: 226,
    por: 223,
    results: { guarded_ok: HOLDS, careless_ok: ["VIOLATED", 8], handler_ran: ["REACHED", 1], ...BUILTIN_HOLD },
  },
  {
    file: "signal_handler.fxp",
    states: 35,
    por: 34,
    results: { guarded_ok: HOLDS, careless_ok: HOLDS, handler_ran: ["UNREACHABLE", null], ...BUILTIN_HOLD },
  },
  {
    file: "exit_path.fxp",
    kills: 1,
    states: 63,
    por: 60,
    results: { no_dead_owner: HOLDS, killed_holding: ["REACHED", 2], ...BUILTIN_HOLD },
  },
  {
    // take the lock, be killed, run the (empty) exit path and be gone in one step: the waiter can never take it.
    file: "exit_path.fxp",
    kills: 1,
    set: { ROBUST: 0 },
    states: 46,
    por: 42,
    results: {
      no_dead_owner: ["VIOLATED", 3],
      killed_holding: ["REACHED", 2],
      deadlock: ["VIOLATED", 3],
      assertions: HOLDS,
      runtime_errors: HOLDS,
    },
  },
  {
    file: "exit_path.fxp",
    states: 40,
    por: 36,
    results: { no_dead_owner: HOLDS, killed_holding: ["UNREACHABLE", null], ...BUILTIN_HOLD },
  },
  {
    // waiter_slept: the waiter tests the flag, enters futex_wait, and is queued in its atomic step.
    file: "futex_wait_wake.fxp",
    states: 56,
    por: 34,
    results: { waiter_slept: ["REACHED", 3], ...BUILTIN_HOLD },
  },
  {
    // deadlock: the waiter tests the flag and enters futex_wait; the waker wakes nobody; the waiter is
    // queued; the waker returns, sets the flag, exits and is gone.
    file: "futex_lost_wakeup.fxp",
    states: 52,
    por: 34,
    results: { waiter_slept: ["REACHED", 3], deadlock: ["VIOLATED", 9], assertions: HOLDS, runtime_errors: HOLDS },
  },
];


const check = (c: Parameters<typeof checkCase>[1]) => checkCase(DIR, c);

describe("models/examples", () => {
  pinCases(DIR, CASES, 7);

  it("reports the lost wake-up by the futex word", () => {
    const report = check({ file: "futex_lost_wakeup.fxp" });
    const deadlock = report.results.find((r) => r.name === "deadlock")!;
    expect(deadlock.message).toBe("no thread can move: waiter sleeps forever in futex_wait on &flag (lost wake-up)");
  });
});
