-- Neovim (0.7 and later) as a futexcheck user would configure it: `.fxp` files get the filetype fxp, and a
-- buffer of that filetype starts `futexcheck lsp --stdio` with the built-in LSP client. The command line is
-- FUTEXCHECK_LSP (a JSON array) so that the test can run the server from the sources.
vim.cmd("autocmd BufRead,BufNewFile *.fxp setfiletype fxp")
local cmd = vim.fn.json_decode(os.getenv("FUTEXCHECK_LSP"))
vim.api.nvim_create_autocmd("FileType", {
  pattern = "fxp",
  callback = function(args)
    local id = vim.lsp.start_client({ name = "futexcheck", cmd = cmd, root_dir = vim.fn.getcwd() })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
