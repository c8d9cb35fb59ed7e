//! Pagination as the emulator enforces it (Chili Piper's official Edge API extracts, edgeVersion
//! 1.494.0, and what scoville assumes where they are silent): 0-based `page`, default 50, at most 100
//! (a larger size is clamped and echoed), `{results,total,page,pageSize}`, stable order.

use crate::edge::wire::Page;

use super::error::ApiError;

/// Page size when the caller names none.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The largest page the emulator serves; larger requests are clamped to it.
pub const MAX_PAGE_SIZE: u64 = 100;

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
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if page_size == 0 {
            return Err(match source {
                PageSource::Query => ApiError::invalid_query("pageSize"),
                PageSource::Body => ApiError::InvalidBody,
            });
        }
        Ok(PageRequest {
            page: page.unwrap_or(0),
            page_size: page_size.min(MAX_PAGE_SIZE),
        })
    }

    /// Counts every item and converts only those on the requested page.
    pub fn paginate<I, T, F>(&self, items: I, mut convert: F) -> Page<T>
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> T,
    {
        let start = self.page.saturating_mul(self.page_size);
        let end = start.saturating_add(self.page_size);
        let mut total = 0u64;
        let mut results = Vec::new();
        for item in items {
            if total >= start && total < end {
                results.push(convert(item));
            }
            total += 1;
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
    }
}
