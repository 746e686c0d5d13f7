// TodoMVC with React (npm `react`, `react-dom`) and the official TodoMVC stylesheet (npm
// `todomvc-app-css`), bundled by esbuild when the fidelity sites start (sites.ts). Three todos to
// begin with, so the page shows a list after load.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';

const FILTERS = { all: () => true, active: (t) => !t.completed, completed: (t) => t.completed };

function Item({ todo, onToggle, onDestroy }) {
  return (
    <li className={todo.completed ? 'completed' : ''}>
      <div className="view">
        <input className="toggle" type="checkbox" checked={todo.completed} onChange={() => onToggle(todo.id)} />
        <label>{todo.title}</label>
        <button className="destroy" onClick={() => onDestroy(todo.id)} />
      </div>
    </li>
  );
}

function App() {
  const [todos, setTodos] = useState([
    { id: 1, title: 'Grind the beans', completed: true },
    { id: 2, title: 'Heat the water to 94 °C', completed: false },
    { id: 3, title: 'Bloom for 30 seconds', completed: false },
  ]);
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState('all');
  const left = todos.filter(FILTERS.active).length;
  const add = (e) => {
    if (e.key !== 'Enter' || !draft.trim()) return;
    setTodos([...todos, { id: Date.now(), title: draft.trim(), completed: false }]);
    setDraft('');
  };
  const toggle = (id) => setTodos(todos.map((t) => (t.id === id ? { ...t, completed: !t.completed } : t)));
  const destroy = (id) => setTodos(todos.filter((t) => t.id !== id));
  return (
    <>
      <section className="todoapp">
        <header className="header">
          <h1>todos</h1>
          <input className="new-todo" placeholder="What needs to be done?" value={draft}
            onChange={(e) => setDraft(e.target.value)} onKeyDown={add} />
        </header>
        <main className="main">
          <div className="toggle-all-container">
            <input id="toggle-all" className="toggle-all" type="checkbox" checked={left === 0}
              onChange={() => setTodos(todos.map((t) => ({ ...t, completed: left !== 0 })))} />
            <label className="toggle-all-label" htmlFor="toggle-all">Mark all as complete</label>
          </div>
          <ul className="todo-list">
            {todos.filter(FILTERS[filter]).map((t) => <Item key={t.id} todo={t} onToggle={toggle} onDestroy={destroy} />)}
          </ul>
        </main>
        <footer className="footer">
          <span className="todo-count"><strong>{left}</strong> {left === 1 ? 'item' : 'items'} left</span>
          <ul className="filters">
            {Object.keys(FILTERS).map((f) => (
              <li key={f}>
                <a href={`#/${f}`} className={f === filter ? 'selected' : ''}
                  onClick={(e) => { e.preventDefault(); setFilter(f); }}>{f[0].toUpperCase() + f.slice(1)}</a>
              </li>
            ))}
          </ul>
          <button className="clear-completed" onClick={() => setTodos(todos.filter(FILTERS.active))}>Clear completed</button>
        </footer>
      </section>
      <footer className="info">
        <p>Double-click to edit a todo</p>
        <p>Written with <a href="https://react.dev/">React</a></p>
      </footer>
    </>
  );
}

createRoot(document.getElementById('root')).render(<App />);
