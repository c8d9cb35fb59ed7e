//! Paginated list calls: how many pages to ask for, and whether the server's pages add up.
//!
//! The client asks for `ops::REQUESTED_PAGE_SIZE`, then trusts the `pageSize` and `total` the
//! server echoes on page 0: the sources disagree on the cap (50, 100, 200), so the echo is the
//! only fact. Pages 1.. are then fetched concurrently with that page size, never past `total`,
//! and every page is checked against page 0 so a server that changes its mind mid-read is an
//! error, not a silently wrong `Live`.

use std::collections::HashSet;

use super::wire::{Distribution, Page, Rule, Team, User, Workspace};

/// A server claiming more pages than this is not believed: it would take hours to read.
pub const MAX_PAGES: u64 = 10_000;

/// The id a list result is known by, for the duplicate check.
pub trait Listed {
    fn list_id(&self) -> &str;
}

impl Listed for User {
    fn list_id(&self) -> &str {
        &self.id
    }
}
impl Listed for Workspace {
    fn list_id(&self) -> &str {
        &self.id
    }
}
impl Listed for Team {
    fn list_id(&self) -> &str {
        &self.id
    }
}
impl Listed for Distribution {
    fn list_id(&self) -> &str {
        &self.id
    }
}
impl<T: Listed> Listed for super::wire::Tolerant<T> {
    /// The id of an object that did not decode is its `id` field (a rule's, a team's), else
    /// its `distributionId`, else empty (such objects are then not checked for duplicates).
    fn list_id(&self) -> &str {
        match self {
            super::wire::Tolerant::Known(value) | super::wire::Tolerant::Extended { value, .. } => {
                value.list_id()
            }
            super::wire::Tolerant::Unknown { raw, .. } => raw["id"]
                .as_str()
                .or_else(|| raw["published"]["distributionId"].as_str())
                .unwrap_or_default(),
        }
    }
}
impl Listed for Rule {
    fn list_id(&self) -> &str {
        &self.body().id
    }
}

/// What page 0 established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageShape {
    pub total: u64,
    pub page_size: u64,
}

impl PageShape {
    /// Reads the shape from page 0 and checks page 0 against it.
    pub fn from_first<T>(first: &Page<T>) -> Result<PageShape, String> {
        if first.page != 0 {
            return Err(format!("asked for page 0, got page {}", first.page));
        }
        if first.page_size == 0 && first.total > 0 {
            return Err(format!("page size 0 with a total of {} items", first.total));
        }
        let shape = PageShape {
            total: first.total,
            page_size: first.page_size,
        };
        if shape.n_pages() > MAX_PAGES {
            return Err(format!(
                "a total of {} items at {} a page needs more than {MAX_PAGES} pages",
                shape.total, shape.page_size
            ));
        }
        shape.check(0, first)?;
        Ok(shape)
    }

    /// Pages needed to read `total` items (page 0 is always read, even when empty).
    pub fn n_pages(&self) -> u64 {
        if self.total == 0 {
            1
        } else {
            self.total.div_ceil(self.page_size.max(1))
        }
    }

    /// Checks one page against the shape.
    pub fn check<T>(&self, asked: u64, page: &Page<T>) -> Result<(), String> {
        if page.page != asked {
            return Err(format!("asked for page {asked}, got page {}", page.page));
        }
        if page.total != self.total {
            return Err(format!(
                "the total changed from {} to {} between pages",
                self.total, page.total
            ));
        }
        if page.page_size != self.page_size {
            return Err(format!(
                "the page size changed from {} to {} between pages",
                self.page_size, page.page_size
            ));
        }
        let n = page.results.len() as u64;
        if n > self.page_size {
            return Err(format!(
                "page {asked} has {n} items, more than its page size {}",
                self.page_size
            ));
        }
        // Every page but the last is full and the last holds the rest: a page that is short
        // (a total overstated, items gone meanwhile) stops the sweep at once, before the
        // pages after it are asked for.
        let due = self.due_on(asked);
        if n != due {
            return Err(format!(
                "page {asked} has {n} items where {due} were due ({} in all, {} a page)",
                self.total, self.page_size
            ));
        }
        Ok(())
    }

    /// How many items page `asked` holds when the pages add up to `total`.
    pub fn due_on(&self, asked: u64) -> u64 {
        let before = asked.saturating_mul(self.page_size);
        self.total.saturating_sub(before).min(self.page_size)
    }
}

/// Joins checked pages (in page order) and checks the whole: no id twice, exactly `total` items.
pub fn assemble<T: Listed>(shape: PageShape, pages: Vec<Page<T>>) -> Result<Vec<T>, String> {
    let mut items = Vec::with_capacity(shape.total.min(1_000_000) as usize);
    for page in pages {
        items.extend(page.results);
    }
    let mut seen = HashSet::with_capacity(items.len());
    for item in &items {
        if !item.list_id().is_empty() && !seen.insert(item.list_id()) {
            return Err(format!("id `{}` appears twice", item.list_id()));
        }
    }
    if items.len() as u64 != shape.total {
        return Err(format!(
            "{} items in all, but the server said {}",
            items.len(),
            shape.total
        ));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Item(&'static str);
    impl Listed for Item {
        fn list_id(&self) -> &str {
            self.0
        }
    }

    fn page(page: u64, total: u64, page_size: u64, ids: &[&'static str]) -> Page<Item> {
        Page {
            results: ids.iter().map(|id| Item(id)).collect(),
            total,
            page,
            page_size,
        }
    }

    #[test]
    fn page_counts_follow_the_echoed_size() {
        let shape = |total, page_size| PageShape { total, page_size };
        assert_eq!(shape(0, 100).n_pages(), 1);
        assert_eq!(shape(100, 100).n_pages(), 1);
        assert_eq!(shape(101, 100).n_pages(), 2);
        assert_eq!(shape(250, 100).n_pages(), 3);
        assert_eq!(shape(250, 50).n_pages(), 5);
    }

    #[test]
    fn a_page_with_more_items_than_its_size_is_refused() {
        let error = PageShape::from_first(&page(0, 3, 2, &["a", "b", "c"])).unwrap_err();
        assert_eq!(error, "page 0 has 3 items, more than its page size 2");
    }

    #[test]
    fn short_pages_are_refused_where_they_stand() {
        let shape = PageShape {
            total: 5,
            page_size: 2,
        };
        let table: [(u64, &[&'static str], bool); 6] = [
            (0, &["a", "b"], true),
            (0, &["a"], false),
            (1, &["c", "d"], true),
            (1, &[], false),
            (2, &["e"], true),
            (2, &["e", "f"], false),
        ];
        for (asked, ids, ok) in table {
            assert_eq!(
                shape.check(asked, &page(asked, 5, 2, ids)).is_ok(),
                ok,
                "{asked} {ids:?}"
            );
        }
        // A total far past what the server has is refused at the first page that falls short.
        let error = PageShape::from_first(&page(0, 10_000, 2, &["a"])).unwrap_err();
        assert_eq!(
            error,
            "page 0 has 1 items where 2 were due (10000 in all, 2 a page)"
        );
    }

    #[test]
    fn a_changing_total_is_refused() {
        let shape = PageShape::from_first(&page(0, 3, 2, &["a", "b"])).unwrap();
        let error = shape.check(1, &page(1, 4, 2, &["c"])).unwrap_err();
        assert_eq!(error, "the total changed from 3 to 4 between pages");
    }

    #[test]
    fn the_wrong_page_number_is_refused() {
        let shape = PageShape::from_first(&page(0, 3, 2, &["a", "b"])).unwrap();
        assert!(shape.check(1, &page(0, 3, 2, &["a", "b"])).is_err());
    }

    #[test]
    fn duplicates_and_short_reads_are_refused() {
        let shape = PageShape {
            total: 3,
            page_size: 2,
        };
        let duplicate = assemble(
            shape,
            vec![page(0, 3, 2, &["a", "b"]), page(1, 3, 2, &["b"])],
        );
        assert_eq!(duplicate.unwrap_err(), "id `b` appears twice");
        let short = assemble(shape, vec![page(0, 3, 2, &["a"]), page(1, 3, 2, &["c"])]);
        assert_eq!(short.unwrap_err(), "2 items in all, but the server said 3");
    }

    #[test]
    fn an_absurd_total_is_not_believed() {
        let error = PageShape::from_first(&page(0, u64::MAX, 1, &["a"])).unwrap_err();
        assert!(error.contains("more than 10000 pages"), "{error}");
    }
}
