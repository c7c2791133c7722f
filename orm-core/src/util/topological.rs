//! A stable topological sort.

/// Orders `0..n` so that for every `(before, after)` edge `before` comes first; among
/// nodes free to go, the lowest index goes first. Nodes on a cycle keep their index
/// order after everything else.
pub(crate) fn sort_stable(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut children = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b {
            indegree[b] += 1;
            children[a].push(b);
        }
    }
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    while let Some(next) = (0..n).find(|&i| !done[i] && indegree[i] == 0) {
        done[next] = true;
        out.push(next);
        for &c in &children[next] {
            indegree[c] -= 1;
        }
    }
    out.extend((0..n).filter(|&i| !done[i]));
    out
}

#[cfg(test)]
mod tests {
    use super::sort_stable;

    #[test]
    fn parents_first_and_stable() {
        assert_eq!(sort_stable(3, &[(2, 0)]), vec![1, 2, 0]);
        assert_eq!(sort_stable(3, &[]), vec![0, 1, 2]);
    }

    #[test]
    fn cycle_members_come_last_in_index_order() {
        assert_eq!(sort_stable(3, &[(0, 1), (1, 0)]), vec![2, 0, 1]);
    }
}
