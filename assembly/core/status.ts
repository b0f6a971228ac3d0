// Status codes returned by kernels. 0 is success; the SDK maps every other
// value to a typed error. Traps (unreachable/abort) are reserved for broken
// invariants that the SDK should have prevented.
export const STATUS_OK: i32 = 0;
/** An iterative method did not converge within its iteration budget. */
export const STATUS_NO_CONVERGENCE: i32 = 1;
/** A matrix was singular or not positive definite where that was required. */
export const STATUS_SINGULAR: i32 = 2;
/** The scratch space handed to the kernel was too small. */
export const STATUS_WORK_TOO_SMALL: i32 = 3;
