"""What ParaView itself shows of a recording, as JSON, for ParaViewReadsRecordingsTest.

Run with ParaView's own Python (pvpython), no display needed:
    pvpython --force-offscreen-rendering paraview_read.py OUT.json READER FILE [READER FILE ...]
READER is the XML name of a ParaView reader (XDMFReader, Xdmf3ReaderS, Xdmf3ReaderT, PVDReader,
XMLImageDataReader), or OpenDataFile: the reader ParaView picks by itself, as a user who just opens
the file gets.
For each reader: the reader ParaView itself picks for FILE (OpenDataFile), the time steps it offers,
its cell and point arrays, and for every time step the dataset it produces: class, dimensions,
origin and spacing (image data) or node coordinates (rectilinear grids), every cell value of every
cell array (repr of the double, so nothing is rounded), field data, and the time the data carries.

The data are the reader's own output in this process (GetClientSideObject: pvpython runs the
pipeline built in), not servermanager.Fetch: in ParaView 5.11 Fetch hands back a vtkRectilinearGrid
whose coordinate arrays have one entry per point, garbage after the first nx + 1.
"""
import json
import sys

from paraview import simple
from vtkmodules.util.numpy_support import vtk_to_numpy


def open_reader(name, path):
    if name == 'OpenDataFile':
        return simple.OpenDataFile(path)
    if name == 'XDMFReader':
        return simple.XDMFReader(FileNames=[path])
    return getattr(simple, name)(FileName=path)


def values(array):
    return [float(v) for v in vtk_to_numpy(array).ravel()]


def arrays(data):
    out = {}
    for i in range(data.GetNumberOfArrays()):
        array = data.GetArray(i)
        if array is not None:
            out[data.GetArrayName(i)] = {'type': array.GetDataTypeAsString(),
                                         'components': array.GetNumberOfComponents(),
                                         'values': values(array)}
    return out


def step(reader, time):
    reader.UpdatePipeline(time)
    data = reader.GetClientSideObject().GetOutputDataObject(0)
    info = data.GetInformation()
    out = {'requested': time, 'class': data.GetClassName(),
           'data_time': info.Get(data.DATA_TIME_STEP()) if info.Has(data.DATA_TIME_STEP()) else None}
    if data.IsA('vtkDataSet'):
        out['cells'] = data.GetNumberOfCells()
        out['cell_data'] = arrays(data.GetCellData())
        out['point_data'] = sorted(data.GetPointData().GetArrayName(i)
                                   for i in range(data.GetPointData().GetNumberOfArrays()))
        out['field_data'] = arrays(data.GetFieldData())
    if data.IsA('vtkImageData') or data.IsA('vtkRectilinearGrid'):
        out['dimensions'] = list(data.GetDimensions())
        out['extent'] = list(data.GetExtent())
    if data.IsA('vtkImageData'):
        out['origin'] = list(data.GetOrigin())
        out['spacing'] = list(data.GetSpacing())
    if data.IsA('vtkRectilinearGrid'):
        out['coordinates'] = [values(data.GetXCoordinates()), values(data.GetYCoordinates()),
                              values(data.GetZCoordinates())]
    return out


def main(out_path, pairs):
    version = simple.GetParaViewVersion()
    report = {'paraview': '%d.%d' % (version.major, version.minor), 'readers': []}
    for name, path in pairs:
        chosen = simple.OpenDataFile(path)
        default = chosen.GetXMLName() if chosen is not None else None
        if chosen is not None:
            simple.Delete(chosen)
        reader = open_reader(name, path)
        times = [float(t) for t in reader.TimestepValues]
        steps = [step(reader, t) for t in times]
        # after the pipeline ran: the XDMF 3 readers list their arrays only then
        report['readers'].append({
            'requested': name, 'reader': reader.GetXMLName(), 'file': path, 'default_reader': default, 'times': times,
            'cell_arrays': sorted(reader.CellData.keys()), 'point_arrays': sorted(reader.PointData.keys()),
            'steps': steps})
        simple.Delete(reader)
    with open(out_path, 'w') as out:
        json.dump(report, out)


if __name__ == '__main__':
    args = sys.argv[1:]
    if len(args) < 3 or len(args) % 2 != 1:
        sys.exit('usage: paraview_read.py OUT.json READER FILE [READER FILE ...]')
    main(args[0], list(zip(args[1::2], args[2::2])))
