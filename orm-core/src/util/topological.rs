//! Dependency ordering: a stable topological sort and cycle detection over nodes
//! `0..n` with edges `(before, after)`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The nodes still waiting when [`sort`] could not finish: every one of them is on
/// a cycle or depends on one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CycleError {
    /// The unsorted nodes, ascending.
    pub(crate) remaining: Vec<usize>,
}

/// Orders nodes `0..n` so that for every edge `(a, b)`, `a` comes before `b`.
///
/// Stable: whenever several nodes are free to go next, the lowest index goes first,
/// so unrelated nodes keep their input order and the result is deterministic.
/// Self-edges `(a, a)` are ignored (a row or table may refer to itself).
pub(crate) fn sort(n: usize, edges: &[(usize, usize)]) -> Result<Vec<usize>, CycleError> {
    let mut successors = vec![Vec::new(); n];
    let mut waiting_on = vec![0usize; n];
    for &(a, b) in edges.iter().filter(|(a, b)| a != b) {
        successors[a].push(b);
        waiting_on[b] += 1;
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&i| waiting_on[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(node)) = ready.pop() {
        order.push(node);
        for &next in &successors[node] {
            waiting_on[next] -= 1;
            if waiting_on[next] == 0 {
                ready.push(Reverse(next));
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    let remaining = (0..n).filter(|&i| waiting_on[i] > 0).collect();
    Err(CycleError { remaining })
}

/// The cycles among nodes `0..n`: each strongly connected component with more than
/// one node, or with a self-edge. Each is sorted ascending; the list is ordered by
/// smallest node.
pub(crate) fn find_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut forward = vec![Vec::new(); n];
    let mut backward = vec![Vec::new(); n];
    for &(a, b) in edges {
        forward[a].push(b);
        backward[b].push(a);
    }
    // Kosaraju: finish order on the graph, then components on the reversed graph.
    let finished = finish_order(&forward);
    let mut component = vec![usize::MAX; n];
    let mut components: Vec<Vec<usize>> = Vec::new();
    for &root in finished.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        let id = components.len();
        let mut members = Vec::new();
        let mut stack = vec![root];
        component[root] = id;
        while let Some(node) = stack.pop() {
            members.push(node);
            for &prev in &backward[node] {
                if component[prev] == usize::MAX {
                    component[prev] = id;
                    stack.push(prev);
                }
            }
        }
        members.sort_unstable();
        components.push(members);
    }
    let mut cycles: Vec<Vec<usize>> = components
        .into_iter()
        .filter(|c| c.len() > 1 || edges.contains(&(c[0], c[0])))
        .collect();
    cycles.sort_unstable_by_key(|c| c[0]);
    cycles
}

/// Nodes in the order a depth-first search finishes them (iterative: no recursion
/// limit on long chains).
fn finish_order(adjacent: &[Vec<usize>]) -> Vec<usize> {
    let n = adjacent.len();
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next_child)) = stack.last_mut() {
            let node = *node;
            if let Some(&child) = adjacent[node].get(*next_child) {
                *next_child += 1;
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
                stack.pop();
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unrelated_nodes_keep_input_order() {
        assert_eq!(sort(4, &[]).unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn parents_come_first_and_order_is_otherwise_stable() {
        // 3 must precede 0, 2 must precede 1.
        assert_eq!(sort(4, &[(3, 0), (2, 1)]).unwrap(), vec![2, 1, 3, 0]);
        assert_eq!(sort(3, &[(2, 1), (1, 0)]).unwrap(), vec![2, 1, 0]);
    }

    #[test]
    fn diamond() {
        let edges = [(0, 1), (0, 2), (1, 3), (2, 3)];
        assert_eq!(sort(4, &edges).unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn same_input_same_output() {
        let edges = [(5, 0), (4, 0), (4, 1), (2, 3), (3, 1)];
        let first = sort(6, &edges).unwrap();
        assert_eq!(first, vec![2, 3, 4, 1, 5, 0]);
        assert_eq!(sort(6, &edges).unwrap(), first);
    }

    #[test]
    fn self_edges_are_ignored_by_sort() {
        assert_eq!(sort(2, &[(1, 1), (1, 0)]).unwrap(), vec![1, 0]);
    }

    #[test]
    fn cycle_is_reported_with_its_dependents() {
        // 1 <-> 2, and 3 depends on 2; 0 is free.
        let err = sort(4, &[(1, 2), (2, 1), (2, 3)]).unwrap_err();
        assert_eq!(err.remaining, vec![1, 2, 3]);
    }

    #[test]
    fn finds_each_cycle_once() {
        let edges = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 2), (4, 5), (6, 6)];
        assert_eq!(
            find_cycles(7, &edges),
            vec![vec![0, 1], vec![2, 3, 4], vec![6]]
        );
    }

    #[test]
    fn acyclic_graph_has_no_cycles() {
        assert!(find_cycles(4, &[(0, 1), (1, 2), (0, 2), (2, 3)]).is_empty());
    }

    #[test]
    fn long_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let mut edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i + 1, i)).collect();
        assert_eq!(sort(n, &edges).unwrap()[0], n - 1);
        edges.push((0, n - 1));
        assert_eq!(find_cycles(n, &edges)[0].len(), n);
    }
}
