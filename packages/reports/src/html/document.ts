import { createHash } from "node:crypto";
import { escapeHtml } from "../email/html.js";

/**
 * The report's only script: click a column header to sort (numbers by `data-v`, text otherwise; again to reverse),
 * type in the filter box to keep matching rows. It reads and reorders the DOM only.
 */
const SCRIPT = `(function(){
document.querySelectorAll("table.sortable").forEach(function(table){
  var body=table.tBodies[0];
  table.querySelectorAll("th").forEach(function(th,col){
    th.addEventListener("click",function(){
      var asc=th.getAttribute("aria-sort")!=="ascending";
      table.querySelectorAll("th").forEach(function(o){o.removeAttribute("aria-sort");});
      th.setAttribute("aria-sort",asc?"ascending":"descending");
      var num=th.dataset.type==="number";
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[col],y=b.cells[col];
        var p=num?Number(x.dataset.v===undefined||x.dataset.v===""?-Infinity:x.dataset.v):x.textContent;
        var q=num?Number(y.dataset.v===undefined||y.dataset.v===""?-Infinity:y.dataset.v):y.textContent;
        var c=num?p-q:String(p).localeCompare(String(q));
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
document.querySelectorAll("input.filter").forEach(function(input){
  var table=document.getElementById(input.dataset.table);
  input.addEventListener("input",function(){
    var text=input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
      r.hidden=text!==""&&r.textContent.toLowerCase().indexOf(text)<0;
    });
  });
});
})();`;

const STYLE = `body{font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;margin:24px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.muted{color:#666}
.facts{color:#444;margin:0 0 12px}.facts span{margin-right:18px}
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:150px}
.kpi b{display:block;font-size:20px}.kpi small{color:#666}
table{border-collapse:collapse;margin:4px 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}table.sortable th{cursor:pointer}td.n{text-align:right}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
.status{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;white-space:nowrap}
.key{margin-right:12px;font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}
figure{margin:0}input.filter{margin:6px 0;padding:4px;width:320px}.id{white-space:nowrap}`;

const SCRIPT_HASH = createHash("sha256").update(SCRIPT).digest("base64");

/**
 * One self-contained page: inline CSS and script, nothing to fetch. The Content-Security-Policy forbids every
 * network request and lets only this exact script run (by hash), so even a value that slipped past escaping could
 * neither load anything nor execute.
 */
export function htmlPage(title: string, body: string): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${SCRIPT_HASH}'`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}<script>${SCRIPT}</script></body></html>`
  );
}
