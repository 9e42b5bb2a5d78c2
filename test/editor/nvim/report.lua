-- Waits (up to 60 s) until the LSP client shows diagnostics for the current buffer, then writes them, as
-- Neovim holds them, to the JSON file FUTEXCHECK_REPORT and quits.
local buf = vim.api.nvim_get_current_buf()
vim.wait(60000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local shown = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(shown, {
    lnum = d.lnum,
    col = d.col,
    end_col = d.end_col,
    message = d.message,
    severity = d.severity,
    source = d.source,
    code = d.code or lsp.code,
  })
end
local out = io.open(os.getenv("FUTEXCHECK_REPORT"), "w")
out:write(vim.fn.json_encode({ filetype = vim.bo.filetype, diagnostics = shown }))
out:close()
vim.cmd("qa!")
