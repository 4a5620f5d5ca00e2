// Evaluate n8n expressions with n8n's own engine (n8n-workflow), as a node reads them.
// Reads {"json": <the Webhook node's output>, "expressions": ["={{ … }}", …]} on standard
// input; writes [{"ok": value} | {"error": message}, …] on standard output.
// NODE_PATH must name the node_modules folder n8n is installed in.
const { Workflow, createRunExecutionData } = require('n8n-workflow');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const nodeTypes = {
  getByName: () => ({ description: { properties: [] } }),
  getByNameAndVersion: () => ({ description: { properties: [], inputs: ['main'], outputs: ['main'] } }),
  getKnownTypes: () => ({}),
};
const nodes = [
  { id: '1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: {} },
  { id: '2', name: 'Step', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
];
const workflow = new Workflow({
  id: 'bellhop', name: 'Bellhop rule', nodes, active: false, nodeTypes,
  connections: { Webhook: { main: [[{ node: 'Step', type: 'main', index: 0 }]] } },
});
const item = { json: input.json, pairedItem: { item: 0 } };
const runData = { Webhook: [{ startTime: 0, executionTime: 0, source: [], data: { main: [[item]] } }] };
const execution = createRunExecutionData({ resultData: { runData } });
const executeData = { node: nodes[1], data: { main: [[item]] }, source: { main: [{ previousNode: 'Webhook' }] } };
const results = input.expressions.map((expression) => {
  try {
    return { ok: workflow.expression.getParameterValue(
      expression, execution, 0, 0, 'Step', [item], 'manual', {}, executeData) };
  } catch (error) {
    return { error: String(error.message || error) };
  }
});
process.stdout.write(JSON.stringify(results));
