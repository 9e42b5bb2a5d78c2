// The musl models of models/musl: every check of every pinned configuration, with its verdict, the number of
// states and the length of every trace, as `futexcheck check` reports them; models/musl/README.md states the same
// verdicts and explains them.
import { describe, expect, it } from "vitest";
import { checkCase, HOLDS, modelsDir, pinCases, type Case } from "./library.js";

const DIR = modelsDir("musl");

const CASES: Case[] = [
  // musl 1.2.5 as it is (ORDER=1), two processes. Without kills everything holds. With one kill, on every kernel
  // rule (KVER 0: < 5.5, 1: 5.5, 2: 6.2, 3: the 2026 fix): the unlocker is killed after `pending = 0`
  // (pthread_mutex_unlock.c:44) and before __wake (:48); its exit finds an empty list and no pending entry, and the
  // waiter sleeps forever (21 steps).
  { file: "musl_mutex.fxp", states: 757, por: 731, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { KVER: 0 }, kills: 1, states: 3157, por: 3139, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { KVER: 1 }, kills: 1, states: 3261, por: 3243, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { KVER: 2 }, kills: 1, states: 3261, por: 3243, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { KVER: 2 }, kills: 2, states: 5046, por: 5046, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { KVER: 3 }, kills: 1, states: 3261, por: 3243, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },

  // ORDER=2, __wake before clearing `pending`: the kernel's pending rule covers the window from 5.5 on.
  { file: "musl_mutex.fxp", set: { ORDER: 2, KVER: 0 }, kills: 1, states: 3877, por: 3703, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { ORDER: 2, KVER: 1 }, kills: 1, states: 4001, por: 3815, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { ORDER: 2, KVER: 2 }, kills: 1, states: 4001, por: 3815, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { ORDER: 2, KVER: 2 }, kills: 2, states: 5786, por: 5786, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },

  // EXIT=1: worker 0 calls pthread_exit holding the lock (one thread of a two-thread process). musl's order
  // loses the wake-up the same way (pthread_create.c:133 before :134-135); with ORDER=2 the word left behind is
  // FUTEX_OWNER_DIED, not 0: only 6.2's rule (owner part 0) covers it.
  { file: "musl_mutex.fxp", set: { EXIT: 1, KVER: 2 }, kills: 1, states: 3419, por: 3401, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 1, ORDER: 2, KVER: 1 }, kills: 1, states: 4116, por: 3942, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 1, ORDER: 2, KVER: 2 }, kills: 1, states: 4165, por: 3985, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },

  // The 2015 change (commit 12e1e324). MUSL=1: a detached thread processes its list itself, then unregisters it and
  // unmaps its thread structure: holds without kills. MUSL=0 (before): the process-shared mutex stays on the list,
  // the structure holding the list head is unmapped, the kernel's walk faults at the head: the word keeps the dead
  // TID (dead_owner_flagged, 11 steps) and the waiter sleeps forever (18 steps). A joinable thread (EXIT=1) is
  // handled by the kernel and holds.
  { file: "musl_mutex.fxp", set: { EXIT: 2, MUSL: 1 }, states: 1041, por: 992, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 13], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 2, MUSL: 1 }, kills: 1, states: 4153, por: 4135, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 2, MUSL: 0 }, states: 446, por: 424, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: ["VIOLATED", 11], owner_died_recovered: ["UNREACHABLE", null], contended: ["REACHED", 11], deadlock: ["VIOLATED", 18], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 1, MUSL: 0 }, states: 502, por: 485, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 13], contended: ["REACHED", 11], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "musl_mutex.fxp", set: { EXIT: 1, MUSL: 0 }, kills: 1, states: 2142, por: 2127, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },

  // LATE=1, three processes, worker 2 starting only after a kill: the kill takes a waiter that futex_wake has
  // just picked (it was still queued); the wake-up dies with it and worker 2 sleeps forever (39 steps). musl's
  // waiter has no `pending` entry while it sleeps, so no kernel rule passes the wake-up on.
  { file: "musl_mutex.fxp", set: { N: 3, LATE: 1 }, kills: 1, states: 87015, por: 85031, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 4], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 11], contended: ["REACHED", 11], deadlock: ["VIOLATED", 39], assertions: HOLDS, runtime_errors: HOLDS } },

  // A normal mutex (_m_lock 0 / EBUSY / EBUSY|FUTEX_WAITERS), without kills.
  { file: "musl_mutex.fxp", set: { ROBUST: 0 }, states: 346, por: 307, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], contended: ["REACHED", 10], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
];

describe("models/musl", () => {
  pinCases(DIR, CASES, 1);

  it("loses the wake-up between musl's `pending = 0` and its __wake, with two processes on the current kernel rule", () => {
    const report = checkCase(DIR, { file: "musl_mutex.fxp", set: { KVER: 3 }, kills: 1 }, { por: false });
    const deadlock = report.results.find((r) => r.name === "deadlock")!;
    expect(deadlock.message).toBe("no thread can move: worker[1] sleeps forever in futex_wait on &mem[0] (lost wake-up)");
    const steps = deadlock.trace!.steps;
    const kill = steps.findIndex((s) => s.kind === "kill");
    // worker[1] sleeps on the word holding worker[0]'s TID with FUTEX_WAITERS …
    const slept = steps.findIndex((s) => s.changes.some((ch) => ch.name === "futex_key[1]" && ch.after === "&mem[0]"));
    // … worker[0] releases the word (pthread_mutex_unlock.c:41) and clears `pending` (:44), then is killed.
    const released = steps.findIndex((s) => s.changes.some((ch) => ch.name === "mem[0]" && ch.before === "0x80000001"));
    const cleared = steps.findIndex((s) => s.changes.some((ch) => ch.name === "mem[3]" && ch.after === "0") && s.source.includes(":44"));
    expect([steps[released].thread, steps[cleared].thread, steps[kill].thread]).toEqual(["worker[0]", "worker[0]", "worker[0]"]);
    expect(slept < released && released < cleared && cleared === kill - 1).toBe(true);
  });
});
