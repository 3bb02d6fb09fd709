import { escapeHtml } from "../email/html.js";

/** A cell: text, or a number (sorted as a number, right-aligned), or preformatted safe HTML built from escaped parts. */
export type HtmlCell = string | number | null | undefined | { html: string; sort?: number | string };

export interface HtmlColumn<T> {
  header: string;
  /** Sort as numbers (by each cell's `data-v`). */
  numeric?: boolean;
  cell(row: T): HtmlCell;
}

/** A sortable table (see the page script); every text is escaped here. */
export function sortableTable<T>(id: string, columns: readonly HtmlColumn<T>[], rows: readonly T[]): string {
  const head = columns
    .map((c) => `<th${c.numeric ? ` data-type="number"` : ""} scope="col">${escapeHtml(c.header)}</th>`)
    .join("");
  const body = rows.map((row) => `<tr>${columns.map((c) => td(c.cell(row), c.numeric === true)).join("")}</tr>`);
  return `<table id="${escapeHtml(id)}" class="sortable"><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

function td(cell: HtmlCell, numeric: boolean): string {
  if (cell === null || cell === undefined) return numeric ? `<td class="n" data-v=""></td>` : "<td></td>";
  if (typeof cell === "object") {
    const sort = cell.sort === undefined ? "" : ` data-v="${escapeHtml(cell.sort)}"`;
    return `<td${numeric ? ` class="n"` : ""}${sort}>${cell.html}</td>`;
  }
  if (typeof cell === "number") return `<td class="n" data-v="${cell}">${escapeHtml(cell)}</td>`;
  return `<td>${escapeHtml(cell)}</td>`;
}

/** A plain table (no sorting): headers and rows, escaped. */
export function plainTable(headers: readonly string[], rows: readonly (readonly HtmlCell[])[], id?: string): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => td(cell, typeof cell === "number")).join("")}</tr>`);
  return `<table${id ? ` id="${escapeHtml(id)}"` : ""}><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}
