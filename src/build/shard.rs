//! `--shard K/N`: the part of the document list one of N machines builds, so a CI matrix can
//! split a large portfolio and `deca manifest merge` can join the parts.
//!
//! The split depends only on the document list, never on timing. The documents of one
//! assessment in one language stay together when there are at least as many such groups as
//! shards (so each report is compiled by one shard only); the groups are dealt largest first
//! to the shard with the fewest documents so far. With fewer groups than shards, documents
//! are dealt one by one in order.

/// Which shard (0-based) each item goes to; `group` names an item's group.
pub(crate) fn assign<T>(items: &[T], group: impl Fn(&T) -> String, count: usize) -> Vec<usize> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let g = group(item);
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, members)) => members.push(i),
            None => groups.push((g, vec![i])),
        }
    }
    let mut out = vec![0; items.len()];
    if groups.len() >= count {
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        let mut load = vec![0usize; count];
        for (_, members) in &groups {
            let (target, _) = load
                .iter()
                .enumerate()
                .min_by_key(|(i, l)| (**l, *i))
                .expect("at least one shard");
            load[target] += members.len();
            for &m in members {
                out[m] = target;
            }
        }
    } else {
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = i % count;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Shard;

    #[test]
    fn shards_parse_one_based() {
        use std::str::FromStr;
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "x", "1/0", "1-2"] {
            assert!(Shard::from_str(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_item_goes_to_exactly_one_shard_and_groups_stay_together() {
        let items: Vec<(&str, usize)> = (0..30).map(|i| (["a", "b", "c"][i % 3], i)).collect();
        let shards = assign(&items, |(g, _)| g.to_string(), 3);
        for g in ["a", "b", "c"] {
            let of: Vec<usize> = items
                .iter()
                .zip(&shards)
                .filter(|((x, _), _)| *x == g)
                .map(|(_, s)| *s)
                .collect();
            assert!(of.windows(2).all(|w| w[0] == w[1]), "group {g} split");
        }
        let mut used = shards.clone();
        used.sort();
        used.dedup();
        assert_eq!(used, vec![0, 1, 2]);
        // Fewer groups than shards: dealt one by one.
        let shards = assign(&items, |(g, _)| g.to_string(), 4);
        assert_eq!(&shards[..5], &[0, 1, 2, 3, 0]);
    }
}
