package console

import (
	"net/http"
	"time"

	"sluice"
	"sluice/service"
)

// connectedWithin is how recently a worker must have polled to count as connected: a
// worker's long poll lasts 20 seconds, and it is seen as it starts and ends.
const connectedWithin = time.Minute

type seenWorker struct {
	service.SeenWorker
	Connected bool
	Running   []*sluice.Job
}

type runningJob struct {
	*sluice.Job
	Holder sluice.WorkerID
}

type workersData struct {
	Seen    []seenWorker
	Running []runningJob // every leased job, whoever holds it
	Queued  int
}

// workersPage shows the workers that polled this server and every running job.
func (c *Console) workersPage(w http.ResponseWriter, r *http.Request, s *session) {
	v, err := c.Service.Workers(r.Context(), s.caller)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	now := c.Service.Now()
	d := workersData{Queued: v.Queued}
	byName := map[string]int{}
	for _, sw := range v.Seen {
		byName[sluice.RemoteWorker(sw.Name).String()] = len(d.Seen)
		d.Seen = append(d.Seen, seenWorker{SeenWorker: sw, Connected: now.Sub(sw.LastSeen) < connectedWithin})
	}
	for _, j := range v.Running {
		id := sluice.ParseWorkerID(j.Worker)
		d.Running = append(d.Running, runningJob{Job: j, Holder: id})
		if i, ok := byName[j.Worker]; ok {
			d.Seen[i].Running = append(d.Seen[i].Running, j)
		}
	}
	c.render(w, r, s, http.StatusOK, "workers", d)
}
