// Filters the rows of every table marked "filterable" as the reader types.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.filterable")) {
    const input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter: 中文名, English name, id, unit…";
    input.className = "form-control mb-2";
    table.parentNode.insertBefore(input, table);
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      for (const row of table.tBodies[0].rows) {
        row.hidden = needle !== "" && !row.textContent.toLowerCase().includes(needle);
      }
    });
  }
});
