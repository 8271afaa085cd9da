//! Link targets: a URL as the author wrote it, made into the ASCII URI that PDF link
//! annotations require and Word accepts. A URL that is already ASCII and well-formed is kept
//! byte for byte; a non-ASCII host becomes its IDNA (punycode) form, and characters a URI
//! cannot hold (non-ASCII, quotes, angle brackets, braces...) are percent-encoded as UTF-8.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What RFC 3986 does not allow in a URI besides non-ASCII; `%` stays, so a URL that is
/// already percent-encoded is not encoded twice.
const NOT_IN_URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The ASCII URI for a URL.
pub(crate) fn target(url: &str) -> String {
    let (head, host, tail) = split_host(url);
    let host = if host.is_ascii() {
        host.to_string()
    } else {
        idna::domain_to_ascii(host).unwrap_or_else(|_| encode(host))
    };
    format!("{}{host}{}", encode(head), encode(tail))
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, NOT_IN_URI).to_string()
}

/// `https://user@host:8080/path` as (`https://user@`, `host`, `:8080/path`); a URL without an
/// authority (`mailto:`) has no host.
fn split_host(url: &str) -> (&str, &str, &str) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url, "", "");
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host_end = authority[host_start..]
        .rfind(':')
        .map_or(authority.len(), |i| host_start + i);
    let head = &url[..scheme_end + host_start];
    let host = &authority[host_start..host_end];
    let tail = &url[scheme_end + host_end..];
    (head, host, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_urls_are_kept_as_written() {
        for url in [
            "https://x.org/a?b=1&c=2#top",
            "https://x.org/Per%C3%BA",
            "HTTP://X.org",
            "mailto:a@b.org?subject=Hi",
            "https://user@x.org:8080/p;q=1",
        ] {
            assert_eq!(target(url), url);
        }
    }

    #[test]
    fn non_ascii_and_quotes_are_encoded() {
        assert_eq!(
            target("https://es.wikipedia.org/wiki/Perú?q=ñ#é"),
            "https://es.wikipedia.org/wiki/Per%C3%BA?q=%C3%B1#%C3%A9"
        );
        assert_eq!(
            target(r#"https://x.org/say?q="hi"&x=<y>"#),
            "https://x.org/say?q=%22hi%22&x=%3Cy%3E"
        );
        assert_eq!(
            target("https://münchen.de:443/straße"),
            "https://xn--mnchen-3ya.de:443/stra%C3%9Fe"
        );
        assert_eq!(target("mailto:josé@x.org"), "mailto:jos%C3%A9@x.org");
    }
}
