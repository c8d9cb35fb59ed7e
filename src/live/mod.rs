//! The live reader: Edge API -> `Live`, in as few round trips as the API allows.
