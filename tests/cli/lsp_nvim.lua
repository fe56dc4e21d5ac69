-- tests/cli/lsp.sh: Neovim, headless, as a user configures plumb lsp.
-- Starts plumb lsp for the current buffer, waits for its diagnostics and
-- writes vim.diagnostic.get() as JSON to $LSP_OUT. vim.lsp.start came in
-- Neovim 0.8; Debian 12 ships 0.7, where start_client and
-- buf_attach_client do the same.
local buf = vim.api.nvim_get_current_buf()
local config = {
  name = "plumb",
  cmd = { os.getenv("PLUMB"), "lsp" },
  root_dir = os.getenv("LSP_ROOT"),
}
local id
if vim.lsp.start then
  id = vim.lsp.start(config)
else
  id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, id)
end
local ok = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local list = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(list, {
    code = d.code or lsp.code,
    lnum = d.lnum,
    col = d.col,
    end_col = d.end_col,
    severity = d.severity,
    source = d.source,
    message = d.message,
  })
end
local f = io.open(os.getenv("LSP_OUT"), "w")
f:write(vim.fn.json_encode({ waited = ok, diagnostics = list }))
f:close()
vim.lsp.stop_client(id)
vim.wait(2000, function()
  return vim.lsp.get_client_by_id(id) == nil
end, 50)
vim.cmd("qall!")
