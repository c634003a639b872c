import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import { useRoute } from 'vue-router';

/** Phones and narrow windows: at or below this width the shell folds its navigation behind a menu button. */
export const NARROW_QUERY = '(max-width: 768px)';

/** Whether the screen is narrow, and whether the folded navigation is open (it closes on every navigation). */
export function useNarrowNav(): { narrow: Ref<boolean>; open: Ref<boolean> } {
  const query = window.matchMedia(NARROW_QUERY);
  const narrow = ref(query.matches);
  const open = ref(false);
  const onChange = (e: MediaQueryListEvent) => {
    narrow.value = e.matches;
    open.value = false;
  };
  onMounted(() => query.addEventListener('change', onChange));
  onBeforeUnmount(() => query.removeEventListener('change', onChange));
  const route = useRoute();
  watch(
    () => route.fullPath,
    () => (open.value = false),
  );
  return { narrow, open };
}
