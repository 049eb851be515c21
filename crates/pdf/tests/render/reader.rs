//! A tiny PDF reader that trusts nothing but the xref table, so a wrong
//! offset anywhere shows up as a failure.

pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Byte offsets of objects 1.. as listed in the xref table, after checking
/// that startxref points at it.
pub fn xref(pdf: &[u8]) -> Vec<usize> {
    let tail = text(&pdf[pdf.len() - 40..]);
    let start: usize = tail
        .split("startxref\n")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        pdf[start..].starts_with(b"xref\n0 "),
        "startxref must point at xref"
    );
    let table = text(&pdf[start..]);
    let mut lines = table.lines().skip(1);
    let size: usize = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let entries: Vec<&str> = lines.take(size).collect();
    assert_eq!(entries[0], "0000000000 65535 f ");
    let entry_bytes = &pdf[start + format!("xref\n0 {size}\n").len()..][..size * 20];
    assert!(
        entry_bytes
            .chunks(20)
            .all(|e| e.ends_with(b" \n") && e.len() == 20)
    );
    entries[1..]
        .iter()
        .map(|e| {
            assert!(e.len() == 19 && e.ends_with(" 00000 n "), "bad entry {e:?}");
            e[..10].parse().unwrap()
        })
        .collect()
}

/// Body of object `n` (between `obj` and `endobj`).
pub fn object(pdf: &[u8], offsets: &[usize], n: usize) -> Vec<u8> {
    let start = offsets[n - 1];
    let end = find(pdf, b"endobj", start).unwrap();
    pdf[start..end].to_vec()
}

/// Content streams of the pages, in /Kids order.
pub fn page_contents(pdf: &[u8]) -> Vec<Vec<u8>> {
    let offsets = xref(pdf);
    let tree = text(&object(pdf, &offsets, 2));
    let kids = tree
        .split("/Kids [")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap()
        .to_owned();
    let kids: Vec<usize> = kids
        .split(" 0 R")
        .filter_map(|k| k.trim().parse().ok())
        .collect();
    let count: usize = tree
        .split("/Count ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(kids.len(), count);
    kids.iter()
        .map(|&page| {
            let page = text(&object(pdf, &offsets, page));
            assert!(page.contains("/Type /Page "));
            let contents: usize = page
                .split("/Contents ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let obj = object(pdf, &offsets, contents);
            let length: usize = text(&obj)
                .split("/Length ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let data = find(&obj, b"stream\n", 0).unwrap() + 7;
            assert!(
                obj[data + length..].starts_with(b"\nendstream"),
                "wrong /Length"
            );
            obj[data..data + length].to_vec()
        })
        .collect()
}
