// Liveness under weak fairness. A property `P leads_to Q` fails when some execution reaches a state where P
// holds and Q does not, and from there Q never holds: either the execution ends (no thread can step) or it
// loops forever through states without Q in a way that is fair to every fair thread. (`always eventually P`
// is `true leads_to P`.)
//
// The search runs on the state graph the safety search stored. R is the set of states reachable from a
// trigger (P and not Q) without passing through Q. An end state in R is a counterexample. Otherwise R is cut
// into strongly connected components (Tarjan); under weak fairness (justice) a component has a fair cycle
// exactly when, for every fair thread, the component contains a step of that thread or a state where that
// thread cannot step. The counterexample is a lasso: the shortest path to a trigger, a shortest path inside R
// to the component, and a cycle through the component that meets every thread's obligation.

export interface Expansion {
  succ: number[]; // successor state numbers
  by: number[]; // the thread that took each transition, -1 for an injected fault
  threadSteps: number; // how many successors are thread steps (0: the execution may end here)
  enabled: number; // bit t set when thread t can take a step
}

/** What the liveness search needs of a state graph: its size and each state's labelled successors. */
export interface LabelledGraph {
  readonly count: number;
  expand(i: number): Expansion;
}

export interface Lasso {
  trigger: number; // the state where P held and Q did not
  stem: number[]; // from the trigger to the cycle's first state (both included)
  cycle: number[]; // from the cycle's first state back to it (first and last equal); [] when the run ends
  cycleBy: number[]; // the thread of each cycle transition
  stemBy: number[];
}

export const MAX_FAIR_THREADS = 31;

export function findLasso(
  g: LabelledGraph,
  trigger: (i: number) => boolean,
  goal: (i: number) => boolean,
  fair: number[],
): Lasso | null {
  if (fair.some((t) => t > MAX_FAIR_THREADS))
    throw new Error(`liveness supports fairness for at most ${MAX_FAIR_THREADS + 1} threads`);
  // 1. R by breadth-first search from every trigger, within states where the goal does not hold; the
  //    edges inside R in compressed rows.
  const inR = new Int32Array(g.count).fill(-1); // state → position in R
  const members: number[] = [];
  const pred: number[] = []; // position → predecessor position (-1 for a trigger)
  const predBy: number[] = [];
  for (let i = 0; i < g.count; i++) {
    if (goal(i) || !trigger(i)) continue;
    inR[i] = members.length;
    members.push(i);
    pred.push(-1);
    predBy.push(-1);
  }
  const rowStart: number[] = [];
  const edges: number[] = [];
  const edgeBy: number[] = [];
  const enabled: number[] = [];
  for (let k = 0; k < members.length; k++) {
    const x = g.expand(members[k]);
    rowStart.push(edges.length);
    enabled.push(x.enabled);
    if (x.threadSteps === 0) {
      // the execution may stop here, with the goal never reached
      const stem = pathTo(k, pred, predBy, members);
      return { trigger: stem.states[0], stem: stem.states, stemBy: stem.by, cycle: [], cycleBy: [] };
    }
    x.succ.forEach((j, e) => {
      if (goal(j)) return;
      if (inR[j] < 0) {
        inR[j] = members.length;
        members.push(j);
        pred.push(k);
        predBy.push(x.by[e]);
      }
      edges.push(inR[j]);
      edgeBy.push(x.by[e]);
    });
  }
  rowStart.push(edges.length);
  const n = members.length;
  const row = (k: number) => ({ from: rowStart[k], to: rowStart[k + 1] });

  // 2. Tarjan's strongly connected components, without recursion.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  const fairMask = fair.reduce((m, t) => m | (1 << t), 0);
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const work: [number, number][] = [[root, rowStart[root]]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top[0];
      if (top[1] < rowStart[v + 1]) {
        const w = edges[top[1]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, rowStart[w]]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) low[work[work.length - 1][0]] = Math.min(low[work[work.length - 1][0]], low[v]);
      if (low[v] !== index[v]) continue;
      const members_: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        comp[w] = comps;
        members_.push(w);
      } while (w !== v);
      const lasso = fairCycle(members_, comps++);
      if (lasso !== null) return lasso;
    }
  }
  return null;

  // 3. A component with a cycle that is fair to every fair thread: build the lasso.
  function fairCycle(c: number[], id: number): Lasso | null {
    let hasEdge = false;
    let stepped = 0; // fair threads with a step inside the component
    let disabled = 0; // fair threads that cannot step somewhere in it
    for (const v of c) {
      disabled |= ~enabled[v] & fairMask;
      const { from, to } = row(v);
      for (let e = from; e < to; e++) {
        if (comp[edges[e]] !== id) continue;
        hasEdge = true;
        if (edgeBy[e] >= 0) stepped |= (1 << edgeBy[e]) & fairMask;
      }
    }
    if (!hasEdge || ((stepped | disabled) & fairMask) !== fairMask) return null;
    // Enter at the member nearest to a trigger (breadth-first order of R), then meet each obligation.
    const entry = c.reduce((a, b) => Math.min(a, b));
    const stem = pathTo(entry, pred, predBy, members);
    const cycle = [entry];
    const cycleBy: number[] = [];
    const walk = (done: (v: number) => boolean) => {
      const p = bfsInside(cycle[cycle.length - 1], id, done);
      for (let k = 1; k < p.states.length; k++) {
        cycle.push(p.states[k]);
        cycleBy.push(p.by[k - 1]);
      }
    };
    for (const t of fair) {
      if (disabled & (1 << t)) {
        walk((v) => (enabled[v] & (1 << t)) === 0);
        continue;
      }
      // walk to a state with a step of t inside the component, and take it
      walk((v) => edgesOf(v).some((e) => comp[edges[e]] === id && edgeBy[e] === t));
      const v = cycle[cycle.length - 1];
      const e = edgesOf(v).find((x) => comp[edges[x]] === id && edgeBy[x] === t)!;
      cycle.push(edges[e]);
      cycleBy.push(t);
    }
    if (cycle.length === 1) {
      const e = edgesOf(entry).find((x) => comp[edges[x]] === id)!;
      cycle.push(edges[e]);
      cycleBy.push(edgeBy[e]);
    }
    if (cycle[cycle.length - 1] !== entry) walk((v) => v === entry);
    return {
      trigger: stem.states[0],
      stem: stem.states,
      stemBy: stem.by,
      cycle: cycle.map((k) => members[k]),
      cycleBy,
    };
  }

  function edgesOf(v: number): number[] {
    const out: number[] = [];
    for (let e = rowStart[v]; e < rowStart[v + 1]; e++) out.push(e);
    return out;
  }

  // shortest path inside component `id` from `start` to a member satisfying `done` (start itself counts only
  // if it satisfies `done` and we have not moved yet — callers then add an edge themselves)
  function bfsInside(start: number, id: number, done: (v: number) => boolean): { states: number[]; by: number[] } {
    if (done(start)) return { states: [start], by: [] };
    const from = new Map<number, [number, number]>([[start, [-1, -1]]]);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q];
      for (let e = rowStart[v]; e < rowStart[v + 1]; e++) {
        const w = edges[e];
        if (comp[w] !== id || from.has(w)) continue;
        from.set(w, [v, edgeBy[e]]);
        if (done(w)) {
          const states = [w];
          const by: number[] = [];
          for (let x = w; x !== start; ) {
            const [p, b] = from.get(x)!;
            by.unshift(b);
            states.unshift(p);
            x = p;
          }
          return { states, by };
        }
        queue.push(w);
      }
    }
    throw new Error("internal: a strongly connected component is not connected");
  }
}

function pathTo(k: number, pred: number[], predBy: number[], members: number[]): { states: number[]; by: number[] } {
  const states: number[] = [];
  const by: number[] = [];
  for (let x = k; x >= 0; x = pred[x]) {
    states.unshift(members[x]);
    if (pred[x] >= 0) by.unshift(predBy[x]);
  }
  return { states, by };
}
