// The futex models of models/futex: every check of every pinned configuration, with its verdict, the number of
// states and the length of every trace. The values were obtained with `futexcheck check` and are explained
// in models/futex/README.md, which states the same verdicts (the traces of the findings are there too).
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { cellText, compareRuns, loadVariants, parseSetting } from "../../cli/compare.js";
import { checkCase, HOLDS, modelsDir, pinCases, type Case } from "./library.js";

const DIR = modelsDir("futex");




const CASES: Case[] = [
  // Drepper's mutexes. Mutex 1: the counter wraps at N + 1; at N = 3 two waiters take turns incrementing until it
  // wraps to 0 and one of them takes the lock held by worker 0 (15 steps); the deadlock is the same wrap later.
{ file: "drepper_mutex1.fxp", set: { N: 2 }, states: 157, por: 109, symmetry: 56, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], contended: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex1.fxp", set: { N: 3 }, states: 7033, por: 3054, symmetry: 552, results: { mutual_exclusion: ["VIOLATED", 15], critical_section: ["REACHED", 1], contended: ["REACHED", 4], deadlock: ["VIOLATED", 31], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex2.fxp", set: { N: 2 }, states: 209, por: 151, symmetry: 77, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex2.fxp", set: { N: 3 }, states: 7519, por: 3582, symmetry: 638, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex3.fxp", set: { N: 2 }, states: 201, por: 143, symmetry: 73, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], contended: ["REACHED", 5], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex3.fxp", set: { N: 3 }, states: 4699, por: 2385, symmetry: 433, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], contended: ["REACHED", 5], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "drepper_mutex3.fxp", set: { N: 4 }, states: 92785, por: 32115, symmetry: 1689, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], contended: ["REACHED", 5], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },

  // Condition variables. condvar_nocheck: the producer signals between the consumer's unlock and its futex_wait
  // (13 steps at W = P = 1). condvar_seq: HOLDS with a 32-bit counter; with SEQ_MOD = 2, two signals in that window
  // bring the counter back to the value read (ABA).
  { file: "condvar_nocheck.fxp", states: 76, por: 50, results: { consumer_slept: ["REACHED", 5], deadlock: ["VIOLATED", 13], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_nocheck.fxp", set: { W: 2, P: 2 }, states: 6011, por: 1300, symmetry: 398, results: { consumer_slept: ["REACHED", 5], deadlock: ["VIOLATED", 26], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_nocheck.fxp", set: { P: 2 }, states: 602, por: 209, symmetry: 114, results: { consumer_slept: ["REACHED", 5], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_seq.fxp", states: 80, por: 53, results: { consumer_slept: ["REACHED", 6], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_seq.fxp", set: { W: 2, P: 2 }, states: 7030, por: 1459, symmetry: 436, results: { consumer_slept: ["REACHED", 6], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_seq.fxp", set: { P: 2 }, states: 630, por: 215, symmetry: 117, results: { consumer_slept: ["REACHED", 6], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_seq.fxp", set: { P: 2, SEQ_MOD: 2 }, states: 663, por: 224, symmetry: 122, results: { consumer_slept: ["REACHED", 6], deadlock: ["VIOLATED", 24], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "condvar_seq.fxp", set: { W: 2, P: 2, SEQ_MOD: 2 }, states: 7609, por: 1572, symmetry: 473, results: { consumer_slept: ["REACHED", 6], deadlock: ["VIOLATED", 30], assertions: HOLDS, runtime_errors: HOLDS } },

  // Robust futexes (the defaults: KVER=5.5, glibc 2.25+). Without kills nobody dies (owner_died_recovered
  // UNREACHABLE). N = 3 with the 5.5 rule: a lost wake-up — the unlocker is killed between its xchg and its futex_wake, a third thread takes the
  // word on the fast path (no FUTEX_WAITERS) before the unlocker's exit sees list_op_pending, so the word is
  // not 0 and the kernel wakes nobody (25 steps). PENDING=0: killed between the cmpxchg and linking the entry, the
  // word names a gone thread (4 steps). KVER=4.19 (before ca16d5bee598): the unlocker killed between xchg and wake
  // (15 steps). ASSUME=1 at N = 3 with 2 kills: the waiter woken after an owner death is killed before taking the
  // word (0xc0000000, not 0): the other waiter sleeps forever (22 steps).
  { file: "robust_mutex.fxp", set: { N: 2 }, states: 342, por: 342, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { N: 3 }, states: 10909, por: 10909, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { N: 2 }, kills: 1, states: 1420, por: 1420, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { N: 2 }, kills: 2, states: 2199, por: 2199, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { N: 3 }, kills: 1, states: 59428, por: 59428, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 25], contended: ["REACHED", 8], deadlock: ["VIOLATED", 25], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { N: 3 }, kills: 2, states: 120121, por: 120121, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 21], contended: ["REACHED", 8], deadlock: ["VIOLATED", 21], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { PENDING: 0, N: 2 }, kills: 1, states: 858, por: 858, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 2], dead_owner_flagged: ["VIOLATED", 4], owner_died_recovered: ["REACHED", 8], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 8], contended: ["REACHED", 6], deadlock: ["VIOLATED", 8], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { PENDING: 0, N: 2 }, kills: 2, states: 1187, por: 1187, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 2], dead_owner_flagged: ["VIOLATED", 4], owner_died_recovered: ["REACHED", 8], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 8], contended: ["REACHED", 6], deadlock: ["VIOLATED", 8], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { PENDING: 0, N: 3 }, kills: 1, states: 32240, por: 32240, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 2], dead_owner_flagged: ["VIOLATED", 4], owner_died_recovered: ["REACHED", 8], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 11], contended: ["REACHED", 6], deadlock: ["VIOLATED", 11], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { PENDING: 0, N: 3 }, kills: 2, states: 54776, por: 54776, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 2], dead_owner_flagged: ["VIOLATED", 4], owner_died_recovered: ["REACHED", 8], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 11], contended: ["REACHED", 6], deadlock: ["VIOLATED", 11], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { KVER: "4.19", N: 2 }, kills: 1, states: 1372, por: 1372, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 15], contended: ["REACHED", 8], deadlock: ["VIOLATED", 15], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { KVER: "4.19", N: 2 }, kills: 2, states: 2107, por: 2107, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 15], contended: ["REACHED", 8], deadlock: ["VIOLATED", 15], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { KVER: "4.19", N: 3 }, kills: 1, states: 57340, por: 57340, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 19], contended: ["REACHED", 8], deadlock: ["VIOLATED", 19], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { KVER: "4.19", N: 3 }, kills: 2, states: 114040, por: 114040, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 18], contended: ["REACHED", 8], deadlock: ["VIOLATED", 18], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ASSUME: 1, N: 2 }, kills: 1, states: 1122, por: 1122, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 7], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ASSUME: 1, N: 2 }, kills: 2, states: 1709, por: 1709, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 7], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ASSUME: 1, N: 3 }, kills: 1, states: 35791, por: 35791, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 7], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ASSUME: 1, N: 3 }, kills: 2, states: 74716, por: 74716, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: ["VIOLATED", 22], contended: ["REACHED", 7], deadlock: ["VIOLATED", 22], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ROUNDS: 2 }, kills: 1, states: 3868, por: 3868, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_mutex.fxp", set: { ROUNDS: 2 }, kills: 2, states: 4969, por: 4969, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 3], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 9], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, lock_progress: HOLDS, contended: ["REACHED", 8], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },

  // The robust-list walk against a scribbled list. TRUST=0: everything holds (owner_died_recovered is
  // UNREACHABLE: no owner dies). TRUST=1: no limit, no TID check. DATA = the scribbler's TID: the kernel writes
  // FUTEX_OWNER_DIED into a data word named by a stale list_op_pending. Only the scribbler is killable, so
  // --kills 2 explores what --kills 1 does.
  { file: "robust_list_walk.fxp", set: { USERS: 1 }, states: 3366, por: 3270, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1 }, kills: 1, states: 6150, por: 6150, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1 }, kills: 2, states: 6150, por: 6150, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, TRUST: 1 }, states: 3968, por: 3824, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 6], walk_bounded: ["VIOLATED", 6], kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["UNREACHABLE", null], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, TRUST: 1 }, kills: 1, states: 7354, por: 7258, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 6], walk_bounded: ["VIOLATED", 6], kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["UNREACHABLE", null], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, TRUST: 1 }, kills: 2, states: 7354, por: 7258, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 6], walk_bounded: ["VIOLATED", 6], kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["UNREACHABLE", null], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, DATA: 2 }, states: 3300, por: 3204, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, DATA: 2 }, kills: 1, states: 6018, por: 6018, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { USERS: 1, DATA: 2 }, kills: 2, states: 6018, por: 6018, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", states: 97581, por: 71816, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", kills: 1, states: 178381, por: 149857, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: HOLDS, walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { TRUST: 1 }, states: 128751, por: 96730, results: { mutual_exclusion: ["VIOLATED", 7], critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["REACHED", 6], walk_bounded: ["VIOLATED", 6], kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["UNREACHABLE", null], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "robust_list_walk.fxp", set: { DATA: 3 }, states: 95678, por: 70320, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], dead_owner_flagged: HOLDS, owner_died_recovered: ["UNREACHABLE", null], walk_bounded: HOLDS, kernel_writes_only_locks: ["VIOLATED", 4], walk_cut_short: ["REACHED", 5], handled_unreadable_entry: ["REACHED", 4], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },

  // Async futexes. The patch as posted (defaults): a process notified and then dead loses the wake-up
  // (_exit_futex deletes the notification; 26 steps at N = 3), and a wake between _exit_futex and the end of
  // do_exit queues a notification that is never removed (16 steps). HANDOFF=1 passes the wake-up on.
  { file: "async_futex.fxp", set: { N: 2, MORTAL: 0 }, states: 481, por: 336, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["UNREACHABLE", null], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2 }, states: 577, por: 398, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2, DEAD_RULE: 0 }, states: 577, por: 398, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: ["VIOLATED", 16], notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2, CLEANUP: 0 }, states: 559, por: 390, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2, HANDOFF: 1 }, states: 571, por: 394, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2, HANDOFF: 1, CLEANUP: 0 }, states: 571, por: 394, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 2, HANDOFF: 1, MORTAL: 2 }, states: 652, por: 448, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 17], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, MORTAL: 0 }, states: 16905, por: 7862, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["UNREACHABLE", null], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3 }, states: 21993, por: 10076, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: ["VIOLATED", 26], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, DEAD_RULE: 0 }, states: 21873, por: 10004, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: ["VIOLATED", 16], notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: ["VIOLATED", 26], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, CLEANUP: 0 }, states: 21165, por: 9776, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: ["VIOLATED", 26], assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, HANDOFF: 1 }, states: 21633, por: 9902, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, HANDOFF: 1, CLEANUP: 0 }, states: 21633, por: 9902, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: ["VIOLATED", 16], never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
  { file: "async_futex.fxp", set: { N: 3, HANDOFF: 1, MORTAL: 2 }, states: 26541, por: 11910, results: { mutual_exclusion: HOLDS, critical_section: ["REACHED", 1], no_stale_notification: HOLDS, never_notify_gone: HOLDS, notified: ["REACHED", 16], died_awaiting_wake: ["REACHED", 9], deadlock: HOLDS, assertions: HOLDS, runtime_errors: HOLDS } },
];


const check = (c: Parameters<typeof checkCase>[1]) => checkCase(DIR, c);

describe("models/futex", () => {
  pinCases(DIR, CASES, 8);

  const deadlock = (c: Pick<Case, "file" | "kills" | "set">) => check(c).results.find((r) => r.name === "deadlock")!;

  it("names the futex word of each lost wake-up", () => {
    expect(deadlock({ file: "condvar_nocheck.fxp" }).message).toBe(
      "no thread can move: consumer[0] sleeps forever in futex_wait on &cv (lost wake-up)",
    );
    expect(deadlock({ file: "robust_mutex.fxp", set: { N: 3 }, kills: 1 }).message).toBe(
      "no thread can move: worker[1] sleeps forever in futex_wait on &mem[0] (lost wake-up)",
    );
    expect(deadlock({ file: "robust_mutex.fxp", set: { PENDING: 0, N: 3 }, kills: 1 }).message).toBe(
      "no thread can move: worker[1] sleeps forever in futex_wait on &mem[0] (lost wake-up); " +
        "worker[2] sleeps forever in futex_wait on &mem[0] (lost wake-up)",
    );
  });

  it("shows the robust-mutex lost wake-up at 3 threads: the word is stolen before the dead unlocker's exit", () => {
    const trace = deadlock({ file: "robust_mutex.fxp", set: { N: 3 }, kills: 1 }).trace!;
    const kill = trace.steps.findIndex((s) => s.kind === "kill");
    // step 17: worker[0] is killed between its xchg (step 11) and its futex_wake …
    expect([kill + 1, trace.steps[kill].thread]).toEqual([17, "worker[0]"]);
    const released = trace.steps.findIndex((s) => s.changes.some((ch) => ch.name === "mem[0]" && ch.after === "0"));
    expect([released + 1, trace.steps[released].thread]).toEqual([11, "worker[0]"]);
    // … after worker[2] took the word on the fast path: its bare TID, 3, without FUTEX_WAITERS.
    const stolen = trace.steps.findIndex((s) => s.changes.some((ch) => ch.name === "mem[0]" && ch.after === "3"));
    expect(trace.steps[stolen].thread).toBe("worker[2]");
    expect(released < stolen && stolen < kill).toBe(true);
  });

  it("reports the async lost wake-up as a process stuck in sigsuspend", () => {
    expect(deadlock({ file: "async_futex.fxp" }).message).toMatch(/^no thread can move: process\[1\] is blocked at async_futex\.fxp:\d+ in sigsuspend$/);
  });
});

// The history of the robust mutex's lost wake-ups, as `futexcheck compare --set KVER=4.19..2026` prints it
// (models/futex/README.md): each row's version, configuration, states and the deadlock cell (verdict and the
// length of its shortest trace).
describe("robust_mutex.fxp: compare over the kernel's and glibc's versions", () => {
  const rows = (settings: string[], kills: number) => {
    const loaded = loadVariants([join(DIR, "robust_mutex.fxp")], settings.map(parseSetting));
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
    const { comparison } = compareRuns(loaded.runs, { kills, signals: 0, por: false });
    return comparison.rows.map((r) => [
      ...Object.values(r.params),
      r.states,
      cellText(r.cells.deadlock),
      cellText(r.cells.lock_progress),
      r.failed.filter((p) => p !== "deadlock"),
    ]);
  };

  it("one kill: two processes lose a wake-up before 5.5, three until the 2026 fix", () => {
    expect(rows(["KVER=4.19..2026", "N=2,3"], 1)).toEqual([
      ["4.19", 2, 1372, "VIOLATED 15", "VIOLATED 15", []],
      ["4.19", 3, 57340, "VIOLATED 19", "VIOLATED 19", []],
      ["5.5", 2, 1420, "holds", "holds", []],
      ["5.5", 3, 59428, "VIOLATED 25", "VIOLATED 25", []],
      ["6.2", 2, 1420, "holds", "holds", []],
      ["6.2", 3, 59428, "VIOLATED 25", "VIOLATED 25", []],
      ["2026", 2, 1420, "holds", "holds", []],
      ["2026", 3, 59320, "holds", "holds", []],
    ]);
  });

  it("two kills: the OWNER_DIED path (ASSUME=1) loses a wake-up on 5.5–6.1 only; all hold with the 2026 fix", () => {
    expect(rows(["KVER=4.19..2026", "N=3", "ASSUME=0,1"], 2)).toEqual([
      ["4.19", 3, 0, 114040, "VIOLATED 18", "VIOLATED 18", []],
      ["4.19", 3, 1, 71602, "VIOLATED 17", "VIOLATED 17", []],
      ["5.5", 3, 0, 120121, "VIOLATED 21", "VIOLATED 21", []],
      ["5.5", 3, 1, 74716, "VIOLATED 22", "VIOLATED 22", []],
      ["6.2", 3, 0, 120085, "VIOLATED 21", "VIOLATED 21", []],
      ["6.2", 3, 1, 74680, "holds", "holds", []],
      ["2026", 3, 0, 119533, "holds", "holds", []],
      ["2026", 3, 1, 74680, "holds", "holds", []],
    ]);
  });

  it("glibc 2.24's assembly unlock (BZ 20985) loses the lock with two processes on every kernel", () => {
    expect(rows(["KVER=4.19..2026", "GLIBC=2.24", "N=2"], 1)).toEqual([
      ["4.19", "2.24", 2, 1616, "VIOLATED 15", "VIOLATED 15", []],
      ["5.5", "2.24", 2, 1670, "VIOLATED 15", "VIOLATED 15", []],
      ["6.2", "2.24", 2, 1708, "VIOLATED 20", "VIOLATED 20", []],
      ["2026", "2.24", 2, 1708, "VIOLATED 20", "VIOLATED 20", []],
    ]);
  });

  it("shows the glibc and kernel lines beside the steps of a trace: the kill between xchg and FUTEX_WAKE", () => {
    const trace = check({ file: "robust_mutex.fxp", set: { KVER: "4.19" }, kills: 1 }).results.find(
      (r) => r.name === "deadlock",
    )!.trace!;
    const kill = trace.steps.find((s) => s.kind === "kill")!;
    expect(kill.refs.map((r) => r.text)).toEqual(["glibc nptl/pthread_mutex_unlock.c:176"]);
    expect(kill.refs[0].version).toBe("2.41");
    const xchg = trace.steps[trace.steps.indexOf(kill) - 1];
    expect(xchg.refs.map((r) => r.text)).toEqual(["glibc nptl/pthread_mutex_unlock.c:174-175"]);
    expect(trace.steps.some((s) => s.refs.some((r) => r.project === "linux" && r.version === "6.2.1"))).toBe(true);
  });
});
