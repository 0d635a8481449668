"""A second reader for a recording's XDMF file, written from the XDMF model and format description
(xdmf.org, "XDMF Model and Format"; XDMF 3 keeps the version 2 elements used here), with h5py for
the heavy data. It checks the structure a reader relies on and resolves every path:

  Xdmf (Version 2.x or 3.x) / Domain / Grid GridType=Collection CollectionType=Temporal /
  Grid GridType=Uniform with one Time (Value), one Topology, one Geometry, Attributes;
  Topology 2DRectMesh with node Dimensions "NY NX"; Geometry VXVY with two DataItems of NX and NY
  node coordinates; Attributes Scalar and Cell-centred, with (NY-1) x (NX-1) values;
  DataItems: known ItemType, NumberType, Precision and Format, Dimensions given; a HyperSlab has a
  3 x rank XML selection (start, stride, count) and a source DataItem, and the selection lies inside
  the source and holds as many values as the HyperSlab declares;
  an HDF DataItem "file:/path" names a file beside the XDMF file and a dataset in it of the declared
  type (class and size) and rank, whose extent holds the declared dimensions.

Then it reads what a viewer would show and compares it with the recording: each grid's time with
/time, its node coordinates with /x_edges and /y_edges, and each attribute's hyperslab with the
pattern the tests publish (cell i of field k in generation g holds g * 2**20 + i + k / 2).
Prints the number of grids, the declared rows of the last one, and the generations shown.

Usage: xdmf_check.py run.xdmf FIELD[,FIELD...]
"""
import os
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np

ITEM_TYPES = {'Uniform', 'Collection', 'Tree', 'HyperSlab', 'Coordinates', 'Function'}
NUMBER_TYPES = {'Float': 'f', 'Int': 'i', 'UInt': 'u', 'Char': 'i', 'UChar': 'u'}
FORMATS = {'XML', 'HDF', 'Binary'}

xdmf_path = sys.argv[1]
fields = sys.argv[2].split(',')
here = os.path.dirname(os.path.abspath(xdmf_path))
files = {}


def fail(*what):
    raise AssertionError(' '.join(str(w) for w in what))


def dims(item):
    text = item.get('Dimensions')
    if text is None:
        fail('a DataItem without Dimensions:', ET.tostring(item)[:200])
    return tuple(int(v) for v in text.split())


def one(parent, tag):
    found = parent.findall(tag)
    if len(found) != 1:
        fail(parent.tag, parent.attrib, 'has', len(found), tag, 'elements, not one')
    return found[0]


def data_item(item):
    """Checks a DataItem and returns its values as an array of its declared dimensions."""
    if item.tag != 'DataItem':
        fail('expected a DataItem, found', item.tag)
    item_type = item.get('ItemType', 'Uniform')
    if item_type not in ITEM_TYPES:
        fail('unknown ItemType', item_type)
    shape = dims(item)
    if item_type == 'HyperSlab':
        children = item.findall('DataItem')
        if len(children) != 2:
            fail('a HyperSlab needs a selection and a source, has', len(children), 'DataItems')
        selection, source = data_item(children[0]), children[1]
        rank = len(dims(source))
        if selection.shape != (3, rank):
            fail('a HyperSlab selection of', rank, 'dimensions is 3 x', rank, ', not', selection.shape)
        start, stride, count = (selection[r].astype(np.int64) for r in range(3))
        source_values = data_item(source)  # checks the source and its file; reading a view is cheap
        last = start + stride * (count - 1)
        if (start < 0).any() or (stride < 1).any() or (count < 1).any() or (last >= np.array(source_values.shape)).any():
            fail('hyperslab', start, stride, count, 'outside its source of', source_values.shape)
        if int(np.prod(count)) != int(np.prod(shape)):
            fail('a HyperSlab of', shape, 'selects', count)
        slab = tuple(slice(s, s + st * (c - 1) + 1, st) for s, st, c in zip(start, stride, count))
        return np.asarray(source_values[slab]).reshape(shape)
    if item_type != 'Uniform':
        fail('this recording uses no', item_type, 'DataItem')
    number_type = item.get('NumberType', item.get('DataType', 'Float'))
    precision = int(item.get('Precision', '4'))
    form = item.get('Format', 'XML')
    if number_type not in NUMBER_TYPES or precision not in (1, 2, 4, 8) or form not in FORMATS:
        fail('bad NumberType/Precision/Format', number_type, precision, form)
    text = (item.text or '').strip()
    if form == 'XML':
        values = np.array(text.split(), dtype=np.float64 if number_type == 'Float' else np.int64)
        if values.size != int(np.prod(shape)):
            fail('XML DataItem of', shape, 'holds', values.size, 'values')
        return values.reshape(shape)
    if form != 'HDF':
        fail('this recording uses no', form, 'DataItem')
    if ':' not in text:
        fail('an HDF DataItem is file:/path, not', text)
    name, path = text.split(':', 1)
    if os.path.isabs(name) or os.sep in name:
        fail('the HDF file should sit beside the XDMF file, named relative to it:', name)
    if name not in files:
        files[name] = h5py.File(os.path.join(here, name), 'r')
    if path not in files[name]:
        fail(name, 'has no dataset', path)
    dataset = files[name][path]
    if dataset.dtype.kind != NUMBER_TYPES[number_type] or dataset.dtype.itemsize != precision:
        fail(path, 'is', dataset.dtype, 'but declared', number_type, precision)
    if dataset.ndim != len(shape) or any(d > actual for d, actual in zip(shape, dataset.shape)):
        fail(path, 'is', dataset.shape, 'but declared', shape)
    return dataset[tuple(slice(0, d) for d in shape)]


root = ET.parse(xdmf_path).getroot()
if root.tag != 'Xdmf' or not root.get('Version', '').split('.')[0] in ('2', '3'):
    fail('not an XDMF 2 or 3 document:', root.tag, root.attrib)
domain = one(root, 'Domain')
series = one(domain, 'Grid')
if series.get('GridType') != 'Collection' or series.get('CollectionType') != 'Temporal':
    fail('the top grid is not a temporal collection:', series.attrib)
grids = series.findall('Grid')
if not grids:
    fail('no frames')
h5 = None
shown = []
for index, grid in enumerate(grids):
    if grid.get('GridType', 'Uniform') != 'Uniform':
        fail('frame', index, 'is not a Uniform grid')
    time = float(one(grid, 'Time').get('Value'))
    topology = one(grid, 'Topology')
    if topology.get('TopologyType') != '2DRectMesh':
        fail('topology', topology.attrib)
    nodes = tuple(int(v) for v in topology.get('Dimensions').split())
    if len(nodes) != 2:
        fail('a 2DRectMesh has 2 node dimensions, not', nodes)
    geometry = one(grid, 'Geometry')
    if geometry.get('GeometryType') != 'VXVY':
        fail('geometry', geometry.attrib)
    vx, vy = (data_item(item) for item in geometry.findall('DataItem'))
    if vx.shape != (nodes[1],) or vy.shape != (nodes[0],):
        fail('VX, VY have', vx.shape, vy.shape, 'for', nodes, 'nodes')
    names = []
    for k, attribute in enumerate(grid.findall('Attribute')):
        if attribute.get('AttributeType', 'Scalar') != 'Scalar' or attribute.get('Center', 'Node') != 'Cell':
            fail('attribute', attribute.attrib)
        values = data_item(one(attribute, 'DataItem'))
        if values.shape != (nodes[0] - 1, nodes[1] - 1):
            fail(attribute.get('Name'), 'has', values.shape, 'values on', nodes, 'nodes')
        names.append(attribute.get('Name'))
        h5 = h5 or next(iter(files.values()))
        g = int(h5['generation'][index])
        expected = g * 1048576.0 + np.arange(values.size, dtype=np.float64) + fields.index(names[-1]) * 0.5
        if not np.array_equal(values.reshape(-1), expected):
            fail('frame', index, attribute.get('Name'), 'does not show generation', g)
    if names != fields:
        fail('frame', index, 'shows', names, 'not', fields)
    if time != h5['time'][index] or not np.array_equal(vx, h5['x_edges'][:]) or not np.array_equal(vy, h5['y_edges'][:]):
        fail('frame', index, 'time or coordinates differ from the recording')
    shown.append(int(h5['generation'][index]))
last_rows = dims(grids[-1].find('Attribute/DataItem').findall('DataItem')[1])[0]
print(len(grids), last_rows, ' '.join(str(g) for g in shown))
