export * from "./markov";
export * from "./softmax";
