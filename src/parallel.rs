//! Loops whose items are independent, on several threads, with results in the items' order:
//! reading the card files, the fit check's pages, a PDF's pages. Inside a rayon pool (a
//! render thread of a build) a loop runs on that pool; elsewhere on one shared pool of its
//! own, made on first use with [`set_threads`] threads (one per core by default). When the
//! system refuses threads (a low process or address-space limit), or one thread is asked for,
//! the loop runs on the calling thread: slower, the same results. This module never makes
//! rayon's global pool (which ends the process when its threads are refused); it runs on it
//! only when called from inside it. While a thread of a pool waits for its loop's items, rayon
//! may give it other work of the same pool: in a build, another file's render.

use rayon::prelude::*;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The threads asked for (`--jobs`); 0: one per core.
static THREADS: AtomicUsize = AtomicUsize::new(0);
/// The shared pool, made on first use; `None`: loops run on the calling thread.
static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

/// Sizes the shared pool; takes effect only before the first loop of the process.
pub fn set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

fn shared_pool() -> Option<&'static rayon::ThreadPool> {
    POOL.get_or_init(|| {
        let threads = match THREADS.load(Ordering::Relaxed) {
            0 => cores(),
            n => n,
        };
        pool(threads, "parallel")
    })
    .as_ref()
}

/// The number of cores (1 when the system does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// A pool of `threads` threads named `name-0`, `name-1`, … `None` when one thread is enough
/// or the system refuses threads (a low process or address-space limit): then the caller
/// works on its own thread, slower but with the same results.
pub fn pool(threads: usize, name: &'static str) -> Option<rayon::ThreadPool> {
    if threads <= 1 {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
        .ok()
}

/// `f(state, index, item)` of every item, in order; `state` is made by `init` once per run
/// of consecutive items (per thread), for what a loop can reuse between items.
pub fn map_in_order<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize, &T) -> R + Sync + Send,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let parallel = || {
        items
            .par_iter()
            .enumerate()
            .map_init(&init, |state, (index, item)| f(state, index, item))
            .collect()
    };
    if rayon::current_thread_index().is_some() {
        return parallel();
    }
    match shared_pool() {
        Some(pool) => pool.install(parallel),
        None => {
            let mut state = init();
            items
                .iter()
                .enumerate()
                .map(|(index, item)| f(&mut state, index, item))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..1000).collect();
        let states = AtomicUsize::new(0);
        let out = map_in_order(
            &items,
            || states.fetch_add(1, Ordering::Relaxed),
            |_, index, item| (index, item * 2),
        );
        let expected: Vec<(usize, usize)> = (0..items.len()).map(|i| (i, 2 * i)).collect();
        assert_eq!(out, expected);
        // A state serves many items, not one each.
        assert!(states.load(Ordering::Relaxed) < items.len() / 10);
    }
}
