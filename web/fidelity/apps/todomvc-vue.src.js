// TodoMVC with Vue 3 (npm `vue`, render functions: the runtime build has no template compiler)
// and the official TodoMVC stylesheet (npm `todomvc-app-css`), bundled by esbuild when the
// fidelity sites start (sites.ts).
import { computed, createApp, h, ref, vModelText, withDirectives, Fragment } from 'vue';

const FILTERS = { all: () => true, active: (t) => !t.completed, completed: (t) => t.completed };

createApp({
  setup() {
    const todos = ref([
      { id: 1, title: 'Weigh 15 g of coffee', completed: false },
      { id: 2, title: 'Rinse the paper filter', completed: true },
      { id: 3, title: 'Pour in three stages', completed: false },
    ]);
    const draft = ref('');
    const filter = ref('all');
    const left = computed(() => todos.value.filter(FILTERS.active).length);
    const add = (e) => {
      if (e.key !== 'Enter' || !draft.value.trim()) return;
      todos.value.push({ id: Date.now(), title: draft.value.trim(), completed: false });
      draft.value = '';
    };
    return () =>
      h(Fragment, null, [
        h('section', { class: 'todoapp' }, [
          h('header', { class: 'header' }, [
            h('h1', null, 'todos'),
            withDirectives(
              h('input', {
                class: 'new-todo',
                placeholder: 'What needs to be done?',
                'onUpdate:modelValue': (v) => (draft.value = v),
                onKeydown: add,
              }),
              [[vModelText, draft.value]],
            ),
          ]),
          h('main', { class: 'main' }, [
            h('div', { class: 'toggle-all-container' }, [
              h('input', {
                id: 'toggle-all',
                class: 'toggle-all',
                type: 'checkbox',
                checked: left.value === 0,
                onChange: () => {
                  const done = left.value !== 0;
                  todos.value.forEach((t) => (t.completed = done));
                },
              }),
              h('label', { class: 'toggle-all-label', for: 'toggle-all' }, 'Mark all as complete'),
            ]),
            h(
              'ul',
              { class: 'todo-list' },
              todos.value.filter(FILTERS[filter.value]).map((t) =>
                h('li', { key: t.id, class: { completed: t.completed } }, [
                  h('div', { class: 'view' }, [
                    h('input', { class: 'toggle', type: 'checkbox', checked: t.completed, onChange: () => (t.completed = !t.completed) }),
                    h('label', null, t.title),
                    h('button', { class: 'destroy', onClick: () => todos.value.splice(todos.value.indexOf(t), 1) }),
                  ]),
                ]),
              ),
            ),
          ]),
          h('footer', { class: 'footer' }, [
            h('span', { class: 'todo-count' }, [h('strong', null, String(left.value)), left.value === 1 ? ' item left' : ' items left']),
            h(
              'ul',
              { class: 'filters' },
              Object.keys(FILTERS).map((f) =>
                h('li', { key: f }, [
                  h(
                    'a',
                    {
                      href: `#/${f}`,
                      class: { selected: f === filter.value },
                      onClick: (e) => {
                        e.preventDefault();
                        filter.value = f;
                      },
                    },
                    f[0].toUpperCase() + f.slice(1),
                  ),
                ]),
              ),
            ),
            h('button', { class: 'clear-completed', onClick: () => (todos.value = todos.value.filter(FILTERS.active)) }, 'Clear completed'),
          ]),
        ]),
        h('footer', { class: 'info' }, [h('p', null, 'Double-click to edit a todo'), h('p', null, ['Written with ', h('a', { href: 'https://vuejs.org/' }, 'Vue')])]),
      ]);
  },
}).mount('#root');
