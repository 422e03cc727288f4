-- Neovim 0.7 as a second, real LSP client: starts `kube-route-lens lsp --stdio` with the built-in
-- client, opens the file given as the first argument, and writes what it received to
-- $KRL_NVIM_RESULT as JSON once diagnostics arrive (or a failure after $KRL_NVIM_TIMEOUT ms).
local result_file = os.getenv('KRL_NVIM_RESULT')
local cli = os.getenv('KRL_CLI')
local expected = tonumber(os.getenv('KRL_NVIM_EXPECT') or '1')
local timeout = tonumber(os.getenv('KRL_NVIM_TIMEOUT') or '60000')
local done = false

local function finish(payload)
  if done then return end
  done = true
  local file = io.open(result_file, 'w')
  file:write(vim.fn.json_encode(payload))
  file:close()
  vim.cmd('qa!')
end

local client_id = vim.lsp.start_client({
  name = 'kube-route-lens',
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = vim.fn.getcwd(),
  on_exit = function(code) finish({ error = 'server exited with code ' .. tostring(code) }) end,
})

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function(args) vim.lsp.buf_attach_client(args.buf, client_id) end,
})

vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function()
    local bufnr = vim.fn.bufnr(vim.fn.argv(0))
    local diagnostics = vim.diagnostic.get(bufnr)
    if #diagnostics < expected then return end
    local out = {}
    for _, d in ipairs(diagnostics) do
      table.insert(out, { line = d.lnum, col = d.col, severity = d.severity, code = d.code, source = d.source, message = d.message })
    end
    finish({ diagnostics = out })
  end,
})

-- Safety net only: the normal path ends on the DiagnosticChanged event above.
vim.defer_fn(function() finish({ error = 'no diagnostics within ' .. timeout .. ' ms' }) end, timeout)
