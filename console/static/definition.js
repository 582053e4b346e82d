// The definition editor: a "Fix it in the editor" link under an error (which, without
// script, jumps to the text area) also selects the line it names in the text area.
const area = document.getElementById('definition');

function selectLine(n) {
  const lines = area.value.split('\n');
  let start = 0;
  for (let i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[n - 1] || '').length;
  area.focus();
  area.setSelectionRange(start, end);
  const height = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (n - 4) * height);
}

if (area) {
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-line]');
    if (!a) return;
    e.preventDefault();
    selectLine(Number(a.dataset.line));
  });
}
