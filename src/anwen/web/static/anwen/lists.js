// Lists on a phone: below the phone width a row of a wide table becomes a card with its key
// fields, each under its column's name (anwen/lists.css). The label comes from the table's own
// header, so no template repeats its column names; a cell that already says what it is
// (data-label set by the template) keeps its own. Tables of up to three columns stay tables.
//
// The card convention, for every template with a <table class="data">:
//   <th data-card-title>    the column that names the record (a person, a school, a task) is
//                           the card's title, shown first without a label. Unmarked tables take
//                           their first column. Never mark an action ("修改", "登记") as title.
//   <th data-card-actions>  the column of actions (links or buttons: 修改, 登记, 录入纸质责任书)
//                           goes to the bottom of the card, each action a full-width 44 px
//                           button. A single cell can say the same with <td class="actions">.
//   An empty cell (nothing but whitespace) is left off the card: print nothing, not a label
//   with nothing after it. <td class="card-skip"> is left off too (a "—" the desk needs to
//   keep its columns, that says nothing on a card). Every cell's content is wrapped in one <div class="cell-value">, so
//   a card line is its label and its value, however rich the value (<strong>, <br>, <div>).
function markedColumn(heads, attribute) {
  let column = 0;
  for (const th of heads) {
    if (th.hasAttribute(attribute)) return column;
    column += th.colSpan || 1;
  }
  return -1;
}

function isBlank(cell) {
  return !cell.textContent.trim() && !cell.querySelector("img, input, select, textarea, button, svg");
}

function wrapValue(cell) {
  if (cell.firstElementChild && cell.firstElementChild.classList.contains("cell-value")) return;
  const value = document.createElement("div");
  value.className = "cell-value";
  while (cell.firstChild) value.appendChild(cell.firstChild);
  cell.appendChild(value);
}

function labelTable(table) {
  const heads = Array.from(table.querySelectorAll("thead th"));
  const labels = [];
  for (const th of heads) {
    labels.push(th.textContent.trim());
    for (let extra = 1; extra < (th.colSpan || 1); extra++) labels.push("");
  }
  if (heads.length < 4) return;
  table.classList.add("rows-as-cards");
  const titleColumn = Math.max(markedColumn(heads, "data-card-title"), 0);
  const actionsColumn = markedColumn(heads, "data-card-actions");
  for (const row of table.querySelectorAll("tbody tr")) {
    const cells = Array.from(row.children);
    let column = 0;
    let title = null;
    for (const cell of cells) {
      if (!cell.hasAttribute("data-label") && labels[column]) cell.dataset.label = labels[column];
      if (column === titleColumn) title = cell;
      if (column === actionsColumn || cell.classList.contains("actions")) {
        cell.classList.add("card-actions");
      }
      if (isBlank(cell)) cell.classList.add("cell-empty");
      wrapValue(cell);
      column += cell.colSpan || 1;
    }
    // A row of one wide cell ("nothing yet") has no columns to pick from: it is its own title.
    if (!title || title.classList.contains("card-actions")) title = cells[0];
    if (title) title.classList.add("card-title");
  }
}
function labelTables(root) {
  for (const table of root.querySelectorAll("table.data")) labelTable(table);
}
document.addEventListener("DOMContentLoaded", () => labelTables(document));
document.addEventListener("htmx:afterSwap", (event) => labelTables(event.target));
