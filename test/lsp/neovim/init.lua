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

-- Feature requests need the client initialized and the buffer attached, in either order.
local state = { initialized = false, bufnr = nil }
local features
local function maybe_features()
  if os.getenv('KRL_NVIM_MODE') == 'features' and state.initialized and state.bufnr then
    vim.schedule(function() features(state.bufnr) end)
  end
end

local client_id = vim.lsp.start_client({
  name = 'kube-route-lens',
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = vim.fn.getcwd(),
  on_init = function()
    state.initialized = true
    maybe_features()
  end,
  on_exit = function(code) finish({ error = 'server exited with code ' .. tostring(code) }) end,
})

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function(args)
    vim.lsp.buf_attach_client(args.buf, client_id)
    state.bufnr = args.buf
    maybe_features()
  end,
})

-- Feature mode: ask for a hover and a definition at $KRL_NVIM_LINE/$KRL_NVIM_COL once attached.
features = function(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = tonumber(os.getenv('KRL_NVIM_LINE')), character = tonumber(os.getenv('KRL_NVIM_COL')) },
  }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, timeout)
  local definition = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, timeout)
  local function first(responses)
    for _, response in pairs(responses or {}) do return response.result end
    return vim.NIL
  end
  finish({ hover = first(hover), definition = first(definition) })
end

if os.getenv('KRL_NVIM_MODE') == 'features' then
  vim.defer_fn(function() finish({ error = 'no answer within ' .. timeout .. ' ms' }) end, timeout)
  return
end

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
