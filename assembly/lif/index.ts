export { lifParamCount, lifConnect, lifInit, lifRun } from "./network";
