//! Loops whose items are independent, on several threads, with results in the items' order:
//! reading the card files, the fit check's pages, a PDF's pages. Inside a rayon pool (a
//! render thread of a build) a loop runs on that pool; elsewhere on one shared pool of its
//! own, made on first use with [`set_threads`] threads (one per core by default). When the
//! system refuses threads (a low process or address-space limit), or one thread is asked for,
//! the loop runs on the calling thread: slower, the same results. rayon's global pool is never
//! used, so that a refused thread can never end the process.

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
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            n => n,
        };
        if threads <= 1 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("parallel-{i}"))
            .build()
            .ok()
    })
    .as_ref()
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
        let out = map_in_order(
            &items,
            || 0usize,
            |seen, index, item| {
                *seen += 1;
                (index, item * 2, *seen >= 1)
            },
        );
        assert_eq!(out.len(), items.len());
        assert!(
            out.iter()
                .enumerate()
                .all(|(i, &(index, double, state_kept))| index == i
                    && double == 2 * i
                    && state_kept)
        );
    }
}
