export { lifParamCount, lifConnect, lifConnectWorkSize, lifInit, lifRun } from "./network";
