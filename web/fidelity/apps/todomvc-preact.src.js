// TodoMVC with Preact and its hooks (npm `preact`, JSX through preact/jsx-runtime) and the official
// TodoMVC stylesheet (npm `todomvc-app-css`), bundled by esbuild when the fidelity sites start
// (sites.ts). The filter follows the location hash (#/active …); a double click on a title edits it
// in place (Enter or leaving the field saves, Escape cancels), as the TodoMVC specification asks.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

const FILTERS = { all: () => true, active: (t) => !t.completed, completed: (t) => t.completed };

const filterFromHash = () => {
  const name = location.hash.replace(/^#\//, '');
  return name in FILTERS ? name : 'all';
};

function Item({ todo, editing, onToggle, onDestroy, onEdit, onSave, onCancel }) {
  const [text, setText] = useState(todo.title);
  const field = useRef(null);
  useEffect(() => {
    if (!editing) return;
    setText(todo.title);
    field.current?.focus();
  }, [editing]);
  const finish = () => (text.trim() ? onSave(todo.id, text.trim()) : onDestroy(todo.id));
  const classes = [todo.completed && 'completed', editing && 'editing'].filter(Boolean).join(' ');
  return (
    <li class={classes}>
      <div class="view">
        <input class="toggle" type="checkbox" checked={todo.completed} onChange={() => onToggle(todo.id)} />
        <label onDblClick={() => onEdit(todo.id)}>{todo.title}</label>
        <button class="destroy" onClick={() => onDestroy(todo.id)} />
      </div>
      {editing && (
        <input
          ref={field}
          class="edit"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onBlur={finish}
          onKeyDown={(e) => {
            if (e.key === 'Enter') finish();
            else if (e.key === 'Escape') onCancel();
          }}
        />
      )}
    </li>
  );
}

function App() {
  const [todos, setTodos] = useState([
    { id: 1, title: 'Fill the kettle', completed: false },
    { id: 2, title: 'Warm the cups', completed: true },
    { id: 3, title: 'Steep for four minutes', completed: false },
    { id: 4, title: 'Press the plunger slowly', completed: false },
  ]);
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState(filterFromHash);
  const [editing, setEditing] = useState(null);
  useEffect(() => {
    const follow = () => setFilter(filterFromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const left = todos.filter(FILTERS.active).length;
  const shown = todos.filter(FILTERS[filter]);
  const update = (id, change) => setTodos((all) => all.map((t) => (t.id === id ? { ...t, ...change } : t)));
  const destroy = (id) => setTodos((all) => all.filter((t) => t.id !== id));
  const add = (e) => {
    if (e.key !== 'Enter' || !draft.trim()) return;
    setTodos((all) => [...all, { id: Date.now(), title: draft.trim(), completed: false }]);
    setDraft('');
  };
  return (
    <>
      <section class="todoapp">
        <header class="header">
          <h1>todos</h1>
          <input
            class="new-todo"
            placeholder="What needs to be done?"
            autofocus
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={add}
          />
        </header>
        {todos.length > 0 && (
          <main class="main">
            <div class="toggle-all-container">
              <input
                id="toggle-all"
                class="toggle-all"
                type="checkbox"
                checked={left === 0}
                onChange={() => setTodos((all) => all.map((t) => ({ ...t, completed: left !== 0 })))}
              />
              <label class="toggle-all-label" for="toggle-all">Mark all as complete</label>
            </div>
            <ul class="todo-list">
              {shown.map((t) => (
                <Item
                  key={t.id}
                  todo={t}
                  editing={editing === t.id}
                  onToggle={(id) => update(id, { completed: !t.completed })}
                  onDestroy={destroy}
                  onEdit={setEditing}
                  onSave={(id, title) => {
                    update(id, { title });
                    setEditing(null);
                  }}
                  onCancel={() => setEditing(null)}
                />
              ))}
            </ul>
          </main>
        )}
        {todos.length > 0 && (
          <footer class="footer">
            <span class="todo-count">
              <strong>{left}</strong> {left === 1 ? 'item' : 'items'} left
            </span>
            <ul class="filters">
              {Object.keys(FILTERS).map((f) => (
                <li key={f}>
                  <a href={`#/${f === 'all' ? '' : f}`} class={f === filter ? 'selected' : ''}>
                    {f[0].toUpperCase() + f.slice(1)}
                  </a>
                </li>
              ))}
            </ul>
            {todos.length > left && (
              <button class="clear-completed" onClick={() => setTodos((all) => all.filter(FILTERS.active))}>
                Clear completed
              </button>
            )}
          </footer>
        )}
      </section>
      <footer class="info">
        <p>Double-click to edit a todo</p>
        <p>
          Written with <a href="https://preactjs.com/">Preact</a>
        </p>
      </footer>
    </>
  );
}

render(<App />, document.getElementById('root'));
