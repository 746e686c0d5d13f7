//! Rewrites the references of a proxied stylesheet (`url(…)`, quoted or not, and `@import
//! "…"`) so that the replica loads them through the proxy too: each is resolved against the
//! stylesheet's own URL and replaced by `url("<proxy URL>")`. `data:` URLs and fragment-only
//! references (`url(#gradient)`) stay as written; anything that is not an http(s) URL after
//! resolution becomes `url("")` (nothing loads). Uses Servo's CSS tokenizer, so comments,
//! strings and escapes are understood as a browser does.

use cssparser::{ParseError, Parser, Token};
use url::Url;

/// One replacement: byte range in the source and the new text.
type Edit = (usize, usize, String);

/// Returns `css` with every reference rewritten by `proxy` (absolute http(s) URL → URL to put
/// in the stylesheet).
pub fn rewrite(css: &str, base: &Url, proxy: &dyn Fn(&str) -> String) -> String {
    let mut parser = Parser::new(css);
    let mut edits = Vec::new();
    walk(&mut parser, base, proxy, &mut edits);
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(css.len() + edits.len() * 64);
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at || end > css.len() {
            continue;
        }
        out.push_str(css.get(at..start).unwrap_or_default());
        out.push_str(&text);
        at = end;
    }
    out.push_str(css.get(at..).unwrap_or_default());
    out
}

fn replacement(reference: &str, base: &Url, proxy: &dyn Fn(&str) -> String) -> Option<String> {
    let trimmed = reference.trim();
    if trimmed.is_empty()
        || trimmed.starts_with('#')
        || trimmed
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
    {
        return None;
    }
    let target = match base.join(trimmed) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => proxy(u.as_str()),
        Ok(_) | Err(_) => String::new(),
    };
    Some(format!("url(\"{}\")", escape(&target)))
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\22 ")
        .replace('\n', "\\a ")
}

fn walk<'i>(
    parser: &mut Parser<'i>,
    base: &Url,
    proxy: &dyn Fn(&str) -> String,
    edits: &mut Vec<Edit>,
) {
    let mut after_import = false;
    loop {
        let start = parser.position().byte_index();
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(t) => t.clone(),
            Err(_) => return,
        };
        let end = parser.position().byte_index();
        match &token {
            Token::UnquotedUrl(u) => {
                if let Some(text) = replacement(u, base, proxy) {
                    edits.push((start, end, text));
                }
            }
            // Unusable for a browser too; never left for the replica to interpret.
            Token::BadUrl(_) => edits.push((start, end, "url(\"\")".to_owned())),
            Token::QuotedString(s) if after_import => {
                if let Some(text) = replacement(s, base, proxy) {
                    edits.push((start, end, text));
                }
            }
            Token::Function(name) if name.eq_ignore_ascii_case("url") => {
                let inner: Result<Option<String>, ParseError<()>> =
                    parser.parse_nested_block(|p| {
                        p.skip_whitespace();
                        let s: Option<String> = p.expect_string().map(|s| String::from(&**s)).ok();
                        // Consume the rest (modifiers) so the block ends cleanly.
                        while p.next().is_ok() {}
                        Ok(s)
                    });
                let end = parser.position().byte_index();
                if let Ok(Some(s)) = inner
                    && let Some(text) = replacement(&s, base, proxy)
                {
                    edits.push((start, end, text));
                }
            }
            Token::Function(_)
            | Token::ParenthesisBlock
            | Token::SquareBracketBlock
            | Token::CurlyBracketBlock => {
                let _: Result<(), ParseError<()>> = parser.parse_nested_block(|p| {
                    walk(p, base, proxy, edits);
                    Ok(())
                });
            }
            _ => {}
        }
        after_import = match &token {
            Token::AtKeyword(k) => k.eq_ignore_ascii_case("import"),
            Token::WhiteSpace(_) | Token::Comment(_) => after_import,
            _ => false,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_go_through_the_proxy() {
        let base = Url::parse("https://shop.example/css/site.css").unwrap();
        let proxy = |u: &str| format!("/p?url={u}");
        let css = "@import \"print.css\" print;\n@import url(https://cdn.example/f.css);\n\
                   a { background: url(../img/a.png) no-repeat, url( 'b c.png' ); }\n\
                   /* url(not-this.png) */ b { content: \"url(nor-this)\"; }\n\
                   @font-face { src: url(\"/f.woff2\") format(\"woff2\"); }\n\
                   c { fill: url(#grad); background: url(data:image/png;base64,AAAA); }\n\
                   d { background: URL(javascript:alert(1)); }\n\
                   e { background: url(javascript:void); }";
        let out = rewrite(css, &base, &proxy);
        assert!(
            out.contains("@import url(\"/p?url=https://shop.example/css/print.css\") print;"),
            "{out}"
        );
        assert!(
            out.contains("@import url(\"/p?url=https://cdn.example/f.css\");"),
            "{out}"
        );
        assert!(
            out.contains("url(\"/p?url=https://shop.example/img/a.png\") no-repeat"),
            "{out}"
        );
        assert!(
            out.contains("url(\"/p?url=https://shop.example/css/b%20c.png\")"),
            "{out}"
        );
        assert!(out.contains("/* url(not-this.png) */"), "{out}");
        assert!(out.contains("\"url(nor-this)\""), "{out}");
        assert!(
            out.contains("src: url(\"/p?url=https://shop.example/f.woff2\") format(\"woff2\")"),
            "{out}"
        );
        assert!(
            out.contains("url(#grad)") && out.contains("url(data:image/png;base64,AAAA)"),
            "{out}"
        );
        assert!(
            out.contains("d { background: url(\"\")") && !out.contains("javascript"),
            "{out}"
        );
        assert!(out.contains("e { background: url(\"\"); }"), "{out}");
    }
}
