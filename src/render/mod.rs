//! Renderers of plans and reports: text, JSON and Markdown.
