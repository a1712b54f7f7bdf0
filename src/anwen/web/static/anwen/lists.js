// Lists on a phone: below the phone width a row of a wide table becomes a card with its key
// fields, each under its column's name (anwen/lists.css). The label comes from the table's own
// header, so no template repeats its column names; a cell that already says what it is
// (data-label set by the template) keeps its own. Tables of up to three columns stay tables.
function labelTable(table) {
  const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
  if (heads.length < 4) return;
  table.classList.add("rows-as-cards");
  for (const row of table.querySelectorAll("tbody tr")) {
    let column = 0;
    for (const cell of row.children) {
      if (!cell.hasAttribute("data-label") && heads[column]) cell.dataset.label = heads[column];
      column += cell.colSpan || 1;
    }
    // The card's title is the cell that opens the record (a school's name rather than its
    // code), else the first.
    const cells = Array.from(row.children);
    const title = cells.find((cell) => cell.querySelector("a[href]")) || cells[0];
    if (title) title.classList.add("card-title");
  }
}
function labelTables(root) {
  for (const table of root.querySelectorAll("table.data")) labelTable(table);
}
document.addEventListener("DOMContentLoaded", () => labelTables(document));
document.addEventListener("htmx:afterSwap", (event) => labelTables(event.target));
