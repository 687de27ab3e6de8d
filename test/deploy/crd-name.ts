import { API_GROUP } from "../../controller/src/core/experiment/index.js";

export const EXPERIMENT_CRD = `experiments.${API_GROUP}`;
