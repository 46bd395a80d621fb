export { createModel, type Model, type ModelOptions } from './createModel.js';
