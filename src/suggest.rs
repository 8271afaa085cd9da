//! "Did you mean" suggestions for misspelt names: fields, ids, languages, chart kinds.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word_lc, &c.to_lowercase()), c))
        .filter(|(d, c)| {
            let longest = word.chars().count().max(c.chars().count());
            *d <= (longest / 3).max(1)
        })
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// `a`, `b` and `c`: a list of names in backticks for messages.
pub(crate) fn list(names: &[&str]) -> String {
    let mut seen = Vec::new();
    let quoted: Vec<String> = names
        .iter()
        .filter(|n| {
            let new = !seen.contains(*n);
            seen.push(**n);
            new
        })
        .map(|n| format!("`{n}`"))
        .collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// `a`, `b` and `c`: every one of a list of names.
pub(crate) fn list_all<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["title", "summary", "body", "priorities"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("priorites", fields), Some("priorities"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    #[test]
    fn lists_names_for_messages() {
        assert_eq!(list(&["bar", "line"]), "`bar` or `line`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
