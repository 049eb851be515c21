//! Record linkage for Indonesian registers: normalisation first (this module), then
//! comparisons, blocking, EM and clustering as the linkage engine grows. Pure: no I/O.

pub mod normalize;
