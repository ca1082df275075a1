// bpmnlint-plugin-camunda-compat is CommonJS; @camunda/linting reads `configs` from a dynamic
// import() of it, which in an ES module bundle yields only `default`. The build (build.mjs)
// hands @camunda/linting this module instead, with the named exports it expects.
import plugin from 'bpmnlint-plugin-camunda-compat';

export const { configs, rules } = plugin;
export default plugin;
