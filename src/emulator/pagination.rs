//! Pagination as the emulator enforces it: 0-based `page`, `{results,total,page,pageSize}`,
//! stable order, and the strictest page sizes published. The GET lists (`workspace-list`,
//! `workspace-list-users`, `user-find`) and `user-find-by-ids` take at most 50 a page, 10 by
//! default (the official extracts, edgeVersion 1.494.0); the other lists at most 100, 50 by
//! default (the vendor's help article). A larger size is clamped and the clamp echoed.

use crate::edge::wire::Page;

use super::error::ApiError;

/// Page size when the caller names none.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The largest page the emulator serves; larger requests are clamped to it.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The default and the largest page of one kind of list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCaps {
    pub default: u64,
    pub max: u64,
}

/// The largest page of the GET lists and `user-find-by-ids` ("Maximum is 50", the official
/// extracts).
pub const GET_LIST_MAX_PAGE_SIZE: u64 = 50;

/// The GET lists and `user-find-by-ids`: at most 50, default 10 (official extracts).
pub const GET_LIST_CAPS: PageCaps = PageCaps {
    default: 10,
    max: GET_LIST_MAX_PAGE_SIZE,
};

/// Every other list: at most 100, 50 by default (the vendor's help article).
pub const OTHER_LIST_CAPS: PageCaps = PageCaps {
    default: DEFAULT_PAGE_SIZE,
    max: MAX_PAGE_SIZE,
};

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub page_size: u64,
}

/// Where the page fields came from, which decides how a bad one is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSource {
    Query,
    Body,
}

impl PageRequest {
    /// Applies the default and the clamp; a page size of 0 is refused like the API's
    /// `exclusiveMinimum: 0`.
    pub fn new(
        page: Option<u64>,
        page_size: Option<u64>,
        source: PageSource,
    ) -> Result<PageRequest, ApiError> {
        PageRequest::capped(page, page_size, source, OTHER_LIST_CAPS)
    }

    /// `new` with the caps of one kind of list.
    pub fn capped(
        page: Option<u64>,
        page_size: Option<u64>,
        source: PageSource,
        caps: PageCaps,
    ) -> Result<PageRequest, ApiError> {
        let page_size = page_size.unwrap_or(caps.default);
        if page_size == 0 {
            return Err(match source {
                PageSource::Query => ApiError::invalid_query("pageSize"),
                PageSource::Body => ApiError::InvalidBody,
            });
        }
        Ok(PageRequest {
            page: page.unwrap_or(0),
            page_size: page_size.min(caps.max),
        })
    }

    /// Counts every item and converts only those on the requested page. Past the page, items
    /// whose number the iterator knows exactly (an unfiltered collection) are counted without
    /// being walked: a 50,000-user org's 1,000 pages then walk half as far.
    pub fn paginate<I, T, F>(&self, items: I, mut convert: F) -> Page<T>
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> T,
    {
        let start = self.page.saturating_mul(self.page_size);
        let end = start.saturating_add(self.page_size);
        let mut total = 0u64;
        let mut results = Vec::new();
        let mut items = items.into_iter();
        while let Some(item) = items.next() {
            if total >= start && total < end {
                results.push(convert(item));
            }
            total += 1;
            if total >= end
                && let (remaining, Some(upper)) = items.size_hint()
                && remaining == upper
            {
                total += remaining as u64;
                break;
            }
        }
        Page {
            results,
            total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_clamps() {
        let request = PageRequest::new(None, None, PageSource::Query).unwrap();
        assert_eq!((request.page, request.page_size), (0, 50));
        let request = PageRequest::new(Some(2), Some(500), PageSource::Query).unwrap();
        assert_eq!((request.page, request.page_size), (2, 100));
        assert_eq!(
            PageRequest::new(None, Some(0), PageSource::Query),
            Err(ApiError::invalid_query("pageSize"))
        );
    }

    #[test]
    fn slices_and_counts() {
        let request = PageRequest::new(Some(2), Some(100), PageSource::Body).unwrap();
        let page = request.paginate(0..250, |n| n);
        assert_eq!(page.total, 250);
        assert_eq!(page.results.first(), Some(&200));
        assert_eq!(page.results.len(), 50);
        let past_the_end = PageRequest::new(Some(9), Some(100), PageSource::Body).unwrap();
        assert!(past_the_end.paginate(0..250, |n| n).results.is_empty());
        // Counted the same whether the rest is walked (filtered) or its number known.
        let first = PageRequest::new(Some(0), Some(10), PageSource::Body).unwrap();
        let walked = first.paginate((0..250).filter(|_| true), |n| n);
        let known = first.paginate(0..250, |n| n);
        assert_eq!(walked, known);
        assert_eq!((known.total, known.results.len()), (250, 10));
    }
}
