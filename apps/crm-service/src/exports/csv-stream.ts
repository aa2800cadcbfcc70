// The CSV download (RFC 4180, formula guard, cursor-paced streaming) is the kit's, shared with projects' time export.
export { ClientGone, CURSOR_ROWS, sendCsv, type CsvDownload, type CsvSink } from '@atelier/platform';
