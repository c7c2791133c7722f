//! SQL `LIKE` matching in memory, with `%`, `_` and an escape character.

/// One element of a LIKE pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Char(char),
    /// `_`: any one character.
    One,
    /// `%`: any run of characters.
    Any,
}

fn tokens(pattern: &str, escape: char) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            c if c == escape => Token::Char(chars.next().unwrap_or(escape)),
            '%' => Token::Any,
            '_' => Token::One,
            c => Token::Char(c),
        });
    }
    out
}

/// SQL `LIKE`: the whole of `text` matches `pattern`.
pub(crate) fn like(text: &str, pattern: &str, escape: char) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pat = tokens(pattern, escape);
    let (mut t, mut p) = (0, 0);
    // Where the last `%` was, and the text position it currently absorbs up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(Token::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Token::One) => (t, p) = (t + 1, p + 1),
            Some(Token::Char(c)) if *c == text[t] => (t, p) = (t + 1, p + 1),
            _ => match star {
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    (t, p) = (st + 1, sp + 1);
                }
                None => return false,
            },
        }
    }
    pat[p..].iter().all(|tok| *tok == Token::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        assert!(like("clean-python", "clean%", '\\'));
        assert!(like("clean-python", "%python", '\\'));
        assert!(like("clean-python", "%-%", '\\'));
        assert!(like("abc", "a_c", '\\'));
        assert!(!like("abbc", "a_c", '\\'));
        assert!(like("", "%", '\\'));
        assert!(!like("", "_", '\\'));
        assert!(like("50%", "50\\%", '\\'));
        assert!(!like("500", "50\\%", '\\'));
        assert!(like("a_b", "a\\_b", '\\'));
        assert!(!like("axb", "a\\_b", '\\'));
        assert!(like("mississippi", "%iss%ppi", '\\'));
        assert!(like("a\\b", "a\\\\b", '\\'));
    }
}
