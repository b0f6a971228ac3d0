export { rngStateSize, rngSeed, rngJump, rngFillUniform, rngFillGaussian, rngPermutation, rngFillU32 } from "./xoshiro";
