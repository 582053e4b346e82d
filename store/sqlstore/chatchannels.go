package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"sluice"
)

var _ sluice.ChatChannelStore = executor{}

const (
	chatCols = `name, arn, kind, url, created, modified`
	qPutChat = `INSERT INTO chat_channels (` + chatCols + `) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET arn = excluded.arn, kind = excluded.kind, url = excluded.url, modified = excluded.modified`
	qChatByARN  = `SELECT ` + chatCols + ` FROM chat_channels WHERE arn = ?`
	qChats      = `SELECT ` + chatCols + ` FROM chat_channels ORDER BY name`
	qDeleteChat = `DELETE FROM chat_channels WHERE name = ?`
)

func chatNotFound() error {
	return sluice.Errorf(sluice.ENotFound, "ChatChannel", "Chat channel not found.")
}

func scanChat(sc scanner) (*sluice.ChatChannel, error) {
	var (
		ch                sluice.ChatChannel
		created, modified int64
	)
	if err := sc.Scan(&ch.Name, &ch.ARN, &ch.Kind, &ch.URL, &created, &modified); err != nil {
		return nil, err
	}
	ch.Created, ch.Modified = tm(created), tm(modified)
	return &ch, nil
}

// PutChatChannel creates or replaces the channel ch.Name, its URL sealed; a replaced
// channel keeps its Created.
func (e executor) PutChatChannel(ctx context.Context, ch *sluice.ChatChannel) error {
	url, err := e.db.seal(colChatURL, ch.Name, ch.URL)
	if err != nil {
		return err
	}
	_, err = e.wr().exec(ctx, qPutChat, ch.Name, ch.ARN, ch.Kind, url, ts(ch.Created), ts(ch.Modified))
	return err
}

// GetChatChannel returns the channel with its URL opened.
func (e executor) GetChatChannel(ctx context.Context, arn string) (*sluice.ChatChannel, error) {
	ch, err := scanChat(e.rd().queryRow(ctx, qChatByARN, arn))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, chatNotFound()
	}
	if err != nil {
		return nil, err
	}
	ch.URL, err = e.db.open(colChatURL, ch.Name, ch.URL)
	return ch, err
}

// ListChatChannels returns every channel by name, URLs opened.
func (e executor) ListChatChannels(ctx context.Context) ([]*sluice.ChatChannel, error) {
	chs, err := queryAll(ctx, e.rd(), scanChat, qChats)
	if err != nil {
		return nil, err
	}
	for _, ch := range chs {
		if ch.URL, err = e.db.open(colChatURL, ch.Name, ch.URL); err != nil {
			return nil, err
		}
	}
	return chs, nil
}

// DeleteChatChannel removes the channel.
func (e executor) DeleteChatChannel(ctx context.Context, name string) error {
	ok, err := e.wr().execOne(ctx, qDeleteChat, name)
	if err != nil || ok {
		return err
	}
	return chatNotFound()
}
